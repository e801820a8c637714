#pragma once
// Timestamps of log lines: RFC 3339 / ISO-8601 UTC with milliseconds
// ("2024-05-01T12:34:56.789Z").

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace opp {

/// Appends the current UTC time with milliseconds. The calendar part is formatted once
/// per second and thread: at tens of thousands of lines a second, gmtime + strftime per
/// line showed in profiles.
inline void append_utc_now(std::string& out) {
  thread_local int64_t cached_second = -1;
  thread_local char cached[24];
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const int64_t second = ms / 1000;
  if (second != cached_second) {
    std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  out.append(cached);
  const int millis = static_cast<int>(ms % 1000);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
}

}  // namespace opp
