// The request-log plugin's glue: on_response formats the line on the io thread and hands
// it to a BoundedLineWriter; the writer's thread appends it to the RotatingFile. A hook
// never touches the disk: when the file cannot keep up, lines are dropped, counted and
// reported through host->log at most every 10 s (and once more at destroy).

#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/plugin_support.hpp"
#include "common/shared_snapshot.hpp"
#include "opp/common/bounded_line_writer.hpp"
#include "request-log/request_line.hpp"
#include "request-log/request_log.hpp"
#include "request-log/request_log_config.hpp"
#include "request-log/rotating_file.hpp"

namespace opp::plugins {
namespace {

using namespace request_log;

/// Lets one caller through per interval, from any thread, without a lock.
class RateLimit {
 public:
  explicit RateLimit(std::chrono::milliseconds interval) : interval_ms_(interval.count()) {}
  bool due() {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    int64_t last = last_ms_.load(std::memory_order_relaxed);
    if (last != kNever && now - last < interval_ms_) return false;
    return last_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed);
  }

 private:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min();
  const int64_t interval_ms_;
  std::atomic<int64_t> last_ms_{kNever};
};

/// What the hooks read; swapped whole by reconfigure.
struct HookSettings {
  RedactFields redact_fields;
  std::string path;  ///< for messages
};

class RequestLogPlugin {
 public:
  static constexpr const char* kName = "request-log";
  /// Lines waiting for the disk, at most: some 12,000 lines of a typical 700 bytes.
  static constexpr size_t kQueueBytes = size_t{8} << 20;
  static constexpr std::chrono::seconds kReportInterval{10};

  RequestLogPlugin(const opp_host* host, const YAML::Node& node)
      : RequestLogPlugin(host, parse_request_log_config(node)) {}

  ~RequestLogPlugin() {
    lines_.reset();  // writes out what is queued, joins the writer thread
    report_drops(true);
  }

  /// A new path is opened here (so an unwritable one is refused and the old config
  /// stays); the writer thread switches to it before its next batch.
  void reconfigure(const YAML::Node& node) {
    RequestLogConfig config = parse_request_log_config(node);
    std::unique_ptr<RotatingFile> file =
        RotatingFile::open(config.path, config.max_bytes, config.max_files, "path");
    {
      std::lock_guard lock(pending_mutex_);
      pending_file_.swap(file);
    }
    settings_.store(std::make_shared<const HookSettings>(
        HookSettings{std::move(config.redact_fields), config.path}));
  }

  const opp_host* host() const { return host_; }

  void on_response(opp_request* r) {
    if (!is_merchant_call(host_, r)) return;
    const std::shared_ptr<const HookSettings> settings = settings_.load();
    if (!lines_->append(format_request_line(host_, r, settings->redact_fields))) note_dropped(1);
  }

 private:
  RequestLogPlugin(const opp_host* host, RequestLogConfig config)
      : host_(host),
        settings_(std::make_shared<const HookSettings>(
            HookSettings{std::move(config.redact_fields), config.path})),
        file_(RotatingFile::open(config.path, config.max_bytes, config.max_files, "path")) {
    lines_ = std::make_unique<BoundedLineWriter>(
        [this](std::string_view batch) { return write_batch(batch); }, kQueueBytes);
  }

  // The writer thread's side: the only code that touches file_.
  uint64_t write_batch(std::string_view batch) {
    {
      std::lock_guard lock(pending_mutex_);
      if (pending_file_) file_ = std::move(pending_file_);
    }
    std::string error;
    const uint64_t lost = file_->write(batch, &error);
    if (!error.empty() && error_reports_.due()) host_->log(OPP_LOG_ERROR, kName, error.c_str());
    if (lost > 0) note_dropped(lost);
    // Drops of a burst that has ended are reported here, while lines still come, rather
    // than only at the next drop or at exit.
    if (unreported_drops_.load(std::memory_order_relaxed) > 0 && drop_reports_.due())
      report_drops(false);
    return lost;
  }

  void note_dropped(uint64_t lines) {
    unreported_drops_.fetch_add(lines, std::memory_order_relaxed);
    if (drop_reports_.due()) report_drops(false);
  }

  void report_drops(bool at_exit) {
    const uint64_t lines = unreported_drops_.exchange(0, std::memory_order_relaxed);
    if (lines == 0) return;
    const uint64_t total = reported_drops_.fetch_add(lines, std::memory_order_relaxed) + lines;
    const std::string message = "dropped " + std::to_string(lines) + " lines" +
                                (at_exit ? " before stopping" : " since the last report") + " (" +
                                std::to_string(total) + " in all): " + settings_.load()->path +
                                " cannot keep up with the requests";
    host_->log(OPP_LOG_WARN, kName, message.c_str());
  }

  const opp_host* host_;
  SharedSnapshot<HookSettings> settings_;
  std::unique_ptr<RotatingFile> file_;  ///< the writer thread's, once it runs
  std::mutex pending_mutex_;
  std::unique_ptr<RotatingFile> pending_file_;  ///< from reconfigure, for the writer thread
  std::atomic<uint64_t> unreported_drops_{0};
  std::atomic<uint64_t> reported_drops_{0};
  RateLimit drop_reports_{kReportInterval};
  RateLimit error_reports_{kReportInterval};
  std::unique_ptr<BoundedLineWriter> lines_;  ///< last: its thread uses everything above
};

using Adapter = PluginAdapter<RequestLogPlugin>;

constexpr opp_plugin kPlugin{
    OPP_PLUGIN_ABI_VERSION, RequestLogPlugin::kName, OPP_VERSION, Adapter::create,
    Adapter::reconfigure,   Adapter::destroy,        nullptr,     nullptr,
    Adapter::on_response,
};

}  // namespace

const opp_plugin* request_log_plugin() {
  return &kPlugin;
}

}  // namespace opp::plugins
