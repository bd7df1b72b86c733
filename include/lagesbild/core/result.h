// What every fallible operation returns — the configuration, scenarios, users, static files and
// the store: a value or an Error (error.h), never an exception. Result<void> (Status) is success
// or an Error. Test ok() before value(); value() of an error is a programming error (it throws
// std::bad_variant_access).
#ifndef LAGESBILD_CORE_RESULT_H_
#define LAGESBILD_CORE_RESULT_H_

#include <optional>
#include <utility>
#include <variant>

#include "lagesbild/core/error.h"

namespace lagesbild {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : value_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return value_.index() == 0; }
  const T& value() const& { return std::get<0>(value_); }
  T& value() & { return std::get<0>(value_); }
  T&& value() && { return std::get<0>(std::move(value_)); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(value_); }

 private:
  std::variant<T, Error> value_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_RESULT_H_
