#pragma once
// Business failures of the payment domain (SPEC §8). They travel as opp::Error whose
// numeric code is the business code (20001..20009), so use cases keep the project's
// Result type; the Thrift transport turns them into BizError{code, message}.

#include <cstdint>
#include <optional>
#include <string>

#include "opp/common/error.hpp"

namespace opp::payment {

/// The business codes of SPEC §8 (20001..20009) are rows of the one code table.
using BizCode = ErrorCode;

/// Stable kebab-case name of a business code ("duplicate-out-order-no", ...), from the
/// sub_code table of opp/common/error.hpp.
std::string_view biz_sub_code(BizCode code);

/// A business failure with a human message.
Error biz_error(BizCode code, std::string message);

/// 20009 naming the offending field: "<field>: <why>".
Error invalid_param(const std::string& field, const std::string& why);

/// A failure of the platform itself (storage, channel), not of the request.
Error internal_error(std::string sub_code, std::string message);

/// The business code carried by an error, if it is one.
std::optional<BizCode> biz_code_of(const Error& error);

}  // namespace opp::payment
