// lazylink: the error and result types used by every part of the core.
//
// The core does not use exceptions (Emscripten builds disable catching by
// default), so fallible functions return Expected<T>. An Error says *where*
// (a context path such as "libfoo.wasm: dylink.0/mem-info" and, when it comes
// from bytes, an absolute byte offset) and *what*.
//
//   Expected<uint32_t> ReadCount(Cursor& c) {
//     LL_TRY(uint32_t n, c.ReadU32Leb("count"));
//     if (n > kMaxCount) return c.Fail("count of ", n, " exceeds limit");
//     return n;
//   }
#ifndef LAZYLINK_SUPPORT_EXPECTED_H_
#define LAZYLINK_SUPPORT_EXPECTED_H_

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace lazylink {

inline constexpr uint64_t kNoOffset = ~uint64_t{0};

// One diagnostic. `context` is a '/'-joined path naming the place (module,
// section, subsection, field); `offset` is an absolute byte offset into the
// input, or kNoOffset when the error is not about bytes.
struct Error {
  std::string context;
  std::string message;
  uint64_t offset = kNoOffset;

  Error() = default;
  Error(std::string ctx, std::string msg, uint64_t off = kNoOffset)
      : context(std::move(ctx)), message(std::move(msg)), offset(off) {}

  // "context: message (at offset 0x1a)"
  std::string Format() const {
    std::string out;
    if (!context.empty()) {
      out += context;
      out += ": ";
    }
    out += message;
    if (offset != kNoOffset) {
      char buf[40];
      std::snprintf(buf, sizeof buf, " (at offset 0x%llx)",
                    static_cast<unsigned long long>(offset));
      out += buf;
    }
    return out;
  }

  // Prefixes the context with an outer name, e.g. the module file name.
  Error& Within(const std::string& outer) {
    if (outer.empty()) return *this;
    context = context.empty() ? outer : outer + ": " + context;
    return *this;
  }
};

// Message parts: strings, characters, integers (decimal), enums (their
// value), floating point (%g). No iostreams: they would pull locale
// machinery into the wasm core.
namespace msg_detail {
inline void Append(std::string& out, const std::string& s) { out += s; }
inline void Append(std::string& out, std::string_view s) { out.append(s.data(), s.size()); }
inline void Append(std::string& out, const char* s) { out += s; }
inline void Append(std::string& out, char c) { out += c; }
inline void Append(std::string& out, bool b) { out += b ? '1' : '0'; }
inline void Append(std::string& out, double v) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%g", v);
  if (n > 0) out.append(buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
}
inline void Append(std::string& out, float v) { Append(out, static_cast<double>(v)); }
template <typename T,
          typename = std::enable_if_t<(std::is_integral_v<T> || std::is_enum_v<T>) &&
                                      !std::is_same_v<T, char> && !std::is_same_v<T, bool>>>
void Append(std::string& out, T v) {
  if constexpr (std::is_enum_v<T>) {
    Append(out, static_cast<std::underlying_type_t<T>>(v));
  } else {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}
}  // namespace msg_detail

// Builds a message from parts: Msg("count ", n, " too large").
template <typename... Parts>
std::string Msg(const Parts&... parts) {
  std::string out;
  (msg_detail::Append(out, parts), ...);
  return out;
}

// A value or an Error. Deliberately small: no monadic helpers, just what
// the LL_TRY macro and callers need.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : ok_(true) { new (&value_) T(std::move(value)); }
  Expected(Error error) : ok_(false) { new (&error_) Error(std::move(error)); }
  // Allows `return value;` for types convertible to T.
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Error>>>
  Expected(U&& value) : ok_(true) {
    new (&value_) T(std::forward<U>(value));
  }

  Expected(const Expected& other) : ok_(other.ok_) {
    if (ok_) new (&value_) T(other.value_);
    else new (&error_) Error(other.error_);
  }
  Expected(Expected&& other) noexcept : ok_(other.ok_) {
    if (ok_) new (&value_) T(std::move(other.value_));
    else new (&error_) Error(std::move(other.error_));
  }
  Expected& operator=(Expected other) noexcept {
    Destroy();
    ok_ = other.ok_;
    if (ok_) new (&value_) T(std::move(other.value_));
    else new (&error_) Error(std::move(other.error_));
    return *this;
  }
  ~Expected() { Destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }

  const Error& error() const& { return error_; }
  Error& error() & { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  void Destroy() {
    if (ok_) value_.~T();
    else error_.~Error();
  }
  bool ok_;
  union {
    T value_;
    Error error_;
  };
};

// Expected<void>: success or an Error.
struct Ok {};
template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Ok) {}
  Expected(Error error) : ok_(false), error_(std::move(error)) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error& error() & { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  bool ok_ = true;
  Error error_;
};
using Status = Expected<void>;

}  // namespace lazylink

#define LL_CONCAT_INNER_(a, b) a##b
#define LL_CONCAT_(a, b) LL_CONCAT_INNER_(a, b)

// LL_TRY(decl, expr): evaluates expr (an Expected<T>); on error returns the
// error from the enclosing function, otherwise binds the value to decl.
//   LL_TRY(uint32_t n, cursor.ReadU32Leb("count"));
#define LL_TRY(decl, expr) LL_TRY_IMPL_(decl, expr, LL_CONCAT_(ll_try_, __COUNTER__))
#define LL_TRY_IMPL_(decl, expr, tmp)        \
  auto tmp = (expr);                         \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()

// LL_CHECK(expr): for Status-returning expressions.
#define LL_CHECK(expr)                                   \
  do {                                                   \
    auto ll_check_status_ = (expr);                      \
    if (!ll_check_status_.ok())                          \
      return std::move(ll_check_status_).error();        \
  } while (0)

#endif  // LAZYLINK_SUPPORT_EXPECTED_H_
