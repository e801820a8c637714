/**
 * Definitions shared by the platform's backend services.
 * This file defines no service: the gateway treats it as include-only.
 */
namespace cpp opp.common.thrift

/**
 * A business failure declared by a backend function. The gateway answers it with
 * err_code = code (>= 20000) and err_message = message.
 */
exception BizError {
  /** Stable business code, 20000 and up (see the service's documentation). */
  1: i32 code,
  /** Human-readable reason; for invalid parameters it names the offending field. */
  2: string message,
}
