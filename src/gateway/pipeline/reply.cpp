#include "gateway/pipeline/reply.hpp"

#include "gateway/pipeline/envelope.hpp"
#include "opp/codec/codec.hpp"

namespace opp::gateway::pipeline {

Answer answer_error(const Error& error, std::string_view request_id) {
  return Answer{http_status(error), error.code, error_body(error, request_id)};
}

Answer answer_reply(const catalog::ServiceEntry& service, const idl::FunctionDescriptor& function,
                    std::string_view reply, codec::Protocol protocol, uint32_t max_depth,
                    std::string_view request_id) {
  if (function.oneway) return Answer{200, ErrorCode::kOk, success_body(request_id, "{}")};
  codec::DecodeOptions options;
  options.protocol = protocol;
  options.max_depth = max_depth;
  std::string data;
  Result<codec::Reply> decoded = service.codec().decode_reply(function, reply, options, data);
  if (!decoded) return answer_error(decoded.error(), request_id);
  switch (decoded->kind) {
    case codec::Reply::Kind::kSuccess:
      return Answer{200, ErrorCode::kOk, success_body(request_id, data)};
    case codec::Reply::Kind::kDeclaredException:
      return Answer{http_status(decoded->err_code), decoded->err_code,
                    business_error_body(decoded->err_code, decoded->err_message, request_id, data)};
    case codec::Reply::Kind::kApplicationException:
      break;
  }
  return answer_error(Error{ErrorCode::kServerHandleFail, "upstream-exception",
                            "the backend raised TApplicationException (type " +
                                std::to_string(decoded->application_error_type) +
                                "): " + decoded->application_error_message,
                            ""},
                      request_id);
}

}  // namespace opp::gateway::pipeline
