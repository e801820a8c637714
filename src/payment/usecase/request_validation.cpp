#include "payment/usecase/request_validation.hpp"

#include "payment/entity/biz_error.hpp"
#include "payment/entity/pay_way.hpp"
#include "payment/entity/validation.hpp"

namespace opp::payment {
namespace {

Result<void> check_merchant(const std::string& merchant_id) {
  if (merchant_id.empty()) return invalid_param("merchant_id", "missing");
  if (!is_valid_merchant_id(merchant_id)) {
    return invalid_param("merchant_id", "expected 1-64 printable characters without spaces");
  }
  return {};
}

Result<void> check_out_no(const char* field, const std::string& value) {
  if (value.empty()) return invalid_param(field, "missing");
  if (!is_valid_out_no(value)) return invalid_param(field, "expected 1-32 chars of [A-Za-z0-9_-]");
  return {};
}

Result<void> check_amount(const char* field, const std::optional<int64_t>& amount) {
  if (!amount) return invalid_param(field, "missing");
  if (!is_valid_amount(*amount)) {
    Error error =
        biz_error(BizCode::kInvalidAmount, std::string(field) + ": " + std::to_string(*amount) +
                                               " is outside 1..10000000000 fen");
    error.path = field;
    return error;
  }
  return {};
}

/// Free text the service stores and shows again: bounded, and UTF-8 so every answer
/// carrying it stays valid JSON at the gateway.
Result<void> check_text(const char* field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return invalid_param(field, "longer than " + std::to_string(max) + " bytes");
  }
  if (!is_valid_utf8(value)) return invalid_param(field, "expected valid UTF-8");
  return {};
}

Result<void> check_notify_url(const std::string& url) {
  if (!is_valid_notify_url(url)) {
    return invalid_param("notify_url", "expected an http:// or https:// URL");
  }
  return {};
}

/// Runs checks in order and stops at the first failure.
template <class... Checks>
Result<void> first_failure(Checks&&... checks) {
  Result<void> outcome;
  ((outcome.ok() ? (void)(outcome = checks()) : void()), ...);
  return outcome;
}

}  // namespace

Result<void> validate(const UnifyPayCommand& c) {
  return first_failure(
      [&] { return check_merchant(c.merchant_id); },
      [&] { return check_out_no("out_order_no", c.out_order_no); },
      [&] { return check_amount("total_amount", c.total_amount); },
      [&]() -> Result<void> {
        if (c.pay_way.empty()) return invalid_param("pay_way", "missing");
        if (!is_known_pay_way(c.pay_way)) {
          return invalid_param("pay_way", "expected wxpay, alipay or unionpay");
        }
        return {};
      },
      [&] { return check_text("subject", c.subject, 256); },
      [&] { return check_text("app_id", c.app_id, 64); },
      [&] { return check_text("sub_open_id", c.sub_open_id, 128); },
      [&] { return check_notify_url(c.notify_url); },
      [&] { return check_text("client_ip", c.client_ip, 64); },
      [&]() -> Result<void> {
        if (c.order_expiration &&
            (*c.order_expiration < 0 || *c.order_expiration > kMaxOrderExpirationMinutes)) {
          return invalid_param(
              "order_expiration",
              "expected 1.." + std::to_string(kMaxOrderExpirationMinutes) + " minutes");
        }
        return {};
      });
}

Result<void> validate(const QRPayCommand& c) {
  return first_failure([&] { return check_merchant(c.merchant_id); },
                       [&] { return check_out_no("out_order_no", c.out_order_no); },
                       [&] { return check_amount("total_amount", c.total_amount); },
                       [&]() -> Result<void> {
                         if (c.auth_code.empty()) return invalid_param("auth_code", "missing");
                         if (!pay_way_for_auth_code(c.auth_code)) {
                           return invalid_param(
                               "auth_code",
                               "expected 16-24 digits starting with 10-15, 25-30 or 62");
                         }
                         return {};
                       },
                       [&] { return check_text("subject", c.subject, 256); },
                       [&] { return check_notify_url(c.notify_url); },
                       [&] { return check_text("client_ip", c.client_ip, 64); });
}

Result<void> validate(const OrderRef& r) {
  return first_failure([&] { return check_merchant(r.merchant_id); },
                       [&] { return check_out_no("out_order_no", r.out_order_no); });
}

Result<void> validate(const RefundCommand& c) {
  return first_failure([&] { return check_merchant(c.merchant_id); },
                       [&] { return check_out_no("out_order_no", c.out_order_no); },
                       [&] { return check_out_no("out_refund_no", c.out_refund_no); },
                       [&] { return check_amount("refund_amount", c.refund_amount); },
                       [&] { return check_text("reason", c.reason, 256); });
}

Result<void> validate(const RefundRef& r) {
  return first_failure([&] { return check_merchant(r.merchant_id); },
                       [&] { return check_out_no("out_refund_no", r.out_refund_no); });
}

Result<void> validate(const BillRequest& r) {
  return check_merchant(r.merchant_id);
}

}  // namespace opp::payment
