#include "payment/infrastructure/sandbox/sandbox_channel.hpp"

#include "payment/entity/pay_way.hpp"
#include "payment/usecase/json_fields.hpp"

namespace opp::payment {
namespace {

std::string short_code(std::string_view pay_way) {
  if (pay_way == kWxPay) return "wx";
  if (pay_way == kAliPay) return "ali";
  return "up";
}

/// The client-side parameters each real channel hands to its SDK, in the sandbox's form.
std::string jspay_info_for(const std::string& pay_way, const Order& order,
                           const std::string& prepay_id) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "prepay_id", prepay_id);
  if (pay_way == kWxPay) {
    put(w, "appId", order.app_id);
    put(w, "timeStamp", std::to_string(order.created_at_ms / 1000));
    put(w, "nonceStr", order.transaction_id.substr(order.transaction_id.size() / 2));
    put(w, "package", "prepay_id=" + prepay_id);
    put(w, "signType", "RSA");
    put(w, "paySign", "sandbox");
  } else if (pay_way == kAliPay) {
    put(w, "tradeNO", prepay_id);
  } else {
    put(w, "tn", prepay_id);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Result<Prepayment> SandboxChannel::prepay(const Order& order) {
  const std::string prepay_id = short_code(pay_way_) + "_prepay_" + order.transaction_id;
  return Prepayment{"sbx_" + short_code(pay_way_) + "_" + order.merchant_id,
                    jspay_info_for(pay_way_, order, prepay_id)};
}

Result<BarcodeCharge> SandboxChannel::charge_barcode(const Order& order) {
  BarcodeCharge charge;
  if (order.auth_code.ends_with("0000")) {
    charge.decline_reason = "sandbox declines payment codes ending in 0000";
    return charge;
  }
  charge.approved = true;
  charge.payment.open_id = "sbx_" + short_code(pay_way_) + "_payer_" +
                           order.auth_code.substr(order.auth_code.size() - 6);
  charge.payment.out_transaction_id = short_code(pay_way_) + "_" + order.transaction_id;
  return charge;
}

Result<bool> SandboxChannel::refund(const Order&, const Refund&) {
  return true;
}

PaymentService::Channels make_sandbox_channels() {
  PaymentService::Channels channels;
  for (std::string_view pay_way : {kWxPay, kAliPay, kUnionPay}) {
    channels.emplace(std::string(pay_way), std::make_shared<SandboxChannel>(std::string(pay_way)));
  }
  return channels;
}

}  // namespace opp::payment
