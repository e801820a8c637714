#include "gateway/pipeline/envelope.hpp"

#include "opp/codec/json_text.hpp"

namespace opp::gateway::pipeline {
namespace {

void open(std::string& out, ErrorCode code, std::string_view message) {
  out += "{\"err_code\":";
  out += std::to_string(static_cast<int32_t>(code));
  out += ",\"err_message\":";
  codec::append_json_string(out, message);
}

void close(std::string& out, std::string_view request_id, std::string_view data_json) {
  out += ",\"request_id\":";
  codec::append_json_string(out, request_id);
  if (!data_json.empty()) {
    out += ",\"data\":";
    out += data_json;
  }
  out += '}';
}

}  // namespace

std::string success_body(std::string_view request_id, std::string_view data_json) {
  std::string out;
  out.reserve(64 + request_id.size() + data_json.size());
  out += R"({"err_code":0,"err_message":"ok")";
  close(out, request_id, data_json.empty() ? std::string_view("{}") : data_json);
  return out;
}

std::string error_body(const Error& error, std::string_view request_id) {
  std::string out;
  out.reserve(128 + error.message.size());
  open(out, error.code, error_name(error.code));
  if (!error.sub_code.empty()) {
    out += ",\"sub_code\":";
    codec::append_json_string(out, error.sub_code);
  }
  if (!error.message.empty()) {
    out += ",\"sub_message\":";
    codec::append_json_string(out, error.message);
  }
  close(out, request_id, {});
  return out;
}

std::string business_error_body(ErrorCode code, std::string_view message,
                                std::string_view request_id, std::string_view exception_json) {
  std::string out;
  out.reserve(128 + message.size() + exception_json.size());
  open(out, code, message);
  if (std::string_view sub_code = business_sub_code(code); !sub_code.empty()) {
    out += ",\"sub_code\":";
    codec::append_json_string(out, sub_code);
  }
  close(out, request_id, exception_json);
  return out;
}

}  // namespace opp::gateway::pipeline
