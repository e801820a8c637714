// BoundedLineWriter: lines reach the sink whole and in order, the buffer bound drops and
// counts instead of blocking, the sink's losses are counted, destruction writes out.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "opp/common/bounded_line_writer.hpp"

using opp::BoundedLineWriter;

namespace {

// A sink that records what it was given; it can be held shut to stand for a slow disk.
struct RecordingSink {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = true;
  std::string text;
  std::vector<size_t> batch_sizes;

  BoundedLineWriter::Sink sink() {
    return [this](std::string_view lines) -> uint64_t {
      std::unique_lock lock(mutex);
      opened.wait(lock, [&] { return open; });
      text.append(lines);
      batch_sizes.push_back(lines.size());
      return 0;
    };
  }
  void set_open(bool value) {
    {
      std::lock_guard lock(mutex);
      open = value;
    }
    opened.notify_all();
  }
  std::string contents() {
    std::lock_guard lock(mutex);
    return text;
  }
};

}  // namespace

TEST_CASE("line writer: lines reach the sink in order and flush waits for them", "[line-writer]") {
  RecordingSink recorded;
  BoundedLineWriter writer(recorded.sink(), 1 << 20, std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) CHECK(writer.append("line " + std::to_string(i) + "\n"));
  // The interval is an hour: only flush() can have handed the lines over.
  writer.flush();
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "line " + std::to_string(i) + "\n";
  CHECK(recorded.contents() == expected);
  CHECK(writer.written() == 100);
  CHECK(writer.dropped() == 0);
}

TEST_CASE("line writer: a blocked sink makes appends drop and count, never wait", "[line-writer]") {
  RecordingSink recorded;
  recorded.set_open(false);
  const std::string line(100, 'x');
  const std::string with_newline = line + "\n";
  auto writer = std::make_unique<BoundedLineWriter>(recorded.sink(), 10 * with_newline.size(),
                                                    std::chrono::milliseconds(1));
  // The first batch is taken by the writer thread, which then blocks in the sink; wait
  // until it has, so that what follows fills the buffer itself.
  uint64_t attempted = 1;
  REQUIRE(writer->append(with_newline));
  for (int i = 0; i < 2000; ++i, std::this_thread::sleep_for(std::chrono::milliseconds(1))) {
    ++attempted;
    if (!writer->append(with_newline)) break;
  }
  size_t accepted = 0, refused = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100000; ++i) (writer->append(with_newline) ? accepted : refused) += 1;
  attempted += 100000;
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(accepted == 0);  // the buffer was full before the loop and the sink never drained
  CHECK(refused == 100000);
  const uint64_t dropped = writer->dropped();
  CHECK(dropped > 100000);
  recorded.set_open(true);
  writer.reset();  // writes out what was buffered
  const std::string text = recorded.contents();
  const auto lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  CHECK(lines >= 10);  // the batch in the sink's hand and a full buffer
  CHECK(lines + dropped == attempted);
  for (size_t size : recorded.batch_sizes) CHECK(size <= 10 * with_newline.size());
  CHECK(text.size() == lines * with_newline.size());
}

TEST_CASE("line writer: lines the sink loses are counted as dropped", "[line-writer]") {
  BoundedLineWriter writer([](std::string_view lines) -> uint64_t { return lines.size() ? 1 : 0; },
                           1 << 20, std::chrono::hours(1));
  writer.append("a\n");
  writer.append("b\n");
  writer.append("c\n");
  writer.flush();
  CHECK(writer.dropped() == 1);
  CHECK(writer.written() == 2);
}

TEST_CASE("line writer: lines appended from many threads arrive whole, each once",
          "[line-writer]") {
  RecordingSink recorded;
  constexpr int kThreads = 4, kLines = 5000;
  {
    BoundedLineWriter writer(recorded.sink(), 64 << 20, std::chrono::milliseconds(1));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kLines; ++i)
          writer.append("t" + std::to_string(t) + "-" + std::to_string(i) + "-" +
                        std::string(static_cast<size_t>(i % 97), 'p') + "\n");
      });
    for (auto& thread : threads) thread.join();
    CHECK(writer.dropped() == 0);
  }
  std::istringstream in(recorded.contents());
  std::set<std::string> seen;
  std::string line;
  size_t count = 0;
  while (std::getline(in, line)) {
    ++count;
    const size_t dash = line.find('-'), second = line.find('-', dash + 1);
    REQUIRE(second != std::string::npos);
    const int i = std::stoi(line.substr(dash + 1, second - dash - 1));
    CHECK(line.size() - second - 1 == static_cast<size_t>(i % 97));  // not cut, not mixed
    seen.insert(line.substr(0, second));
  }
  CHECK(count == kThreads * kLines);
  CHECK(seen.size() == kThreads * kLines);
}

TEST_CASE("line writer: write_all writes everything to a descriptor", "[line-writer]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const std::string data(1000, 'z');
  REQUIRE(opp::write_all(fds[1], data));
  close(fds[1]);
  std::string read_back;
  char buffer[256];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) read_back.append(buffer, n);
  close(fds[0]);
  CHECK(read_back == data);
  CHECK_FALSE(opp::write_all(-1, "x"));
}
