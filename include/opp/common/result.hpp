#pragma once
// A small expected-like result for hot paths: no exceptions on the data plane.
// (std::expected needs C++23 and is unavailable to clang 14 with libstdc++ 12.)

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "opp/common/error.hpp"

namespace opp {

/// Either a value of T or an opp::Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

  /// f(value) when this holds a value, else this error; f returns a Result.
  template <class F>
  auto and_then(F&& f) && -> std::invoke_result_t<F, T&&> {
    if (!ok()) return std::move(*this).error();
    return std::forward<F>(f)(std::move(*this).value());
  }
  /// Result of f(value) when this holds a value, else this error; f returns a plain value.
  template <class F>
  auto map(F&& f) && -> Result<std::invoke_result_t<F, T&&>> {
    if (!ok()) return std::move(*this).error();
    return std::forward<F>(f)(std::move(*this).value());
  }

 private:
  std::variant<T, Error> state_;
};

/// Success or an opp::Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

  /// f() when this succeeded, else this error; f returns a Result.
  template <class F>
  auto and_then(F&& f) && -> std::invoke_result_t<F> {
    if (!ok()) return std::move(*this).error();
    return std::forward<F>(f)();
  }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace opp

#define OPP_RESULT_CONCAT_INNER(a, b) a##b
#define OPP_RESULT_CONCAT(a, b) OPP_RESULT_CONCAT_INNER(a, b)

/// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define OPP_TRY(expr)                                                                            \
  do {                                                                                           \
    if (auto opp_try_result = (expr); !opp_try_result) return std::move(opp_try_result).error(); \
  } while (false)

/// `OPP_TRY_ASSIGN(auto x, make_x());` declares x from the value of a Result, or returns
/// its error from the enclosing function.
#define OPP_TRY_ASSIGN(declaration, expr) \
  OPP_TRY_ASSIGN_IMPL(OPP_RESULT_CONCAT(opp_try_result_, __LINE__), declaration, expr)
#define OPP_TRY_ASSIGN_IMPL(holder, declaration, expr) \
  auto holder = (expr);                                \
  if (!holder) return std::move(holder).error();       \
  declaration = std::move(holder).value()
