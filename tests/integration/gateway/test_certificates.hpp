#pragma once
// Throwaway TLS material for tests, made at test time by scripts/make-test-certs.sh (the
// one `make run` uses): a CA and server certificates it signed for localhost, 127.0.0.1
// and ::1, each with its name as the subject's OU.

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

namespace opp::test {

/// Makes dir/NAME.crt and dir/NAME.key, and dir/ca.crt + ca.key when missing (renamed
/// into place, so a reader sees a whole old or a whole new pair).
inline void make_test_certificate(const std::filesystem::path& dir,
                                  const std::string& name = "server") {
  const std::string command = "bash '" + std::string(OPP_SOURCE_DIR) +
                              "/scripts/make-test-certs.sh' '" + dir.string() + "' '" + name +
                              "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("scripts/make-test-certs.sh failed for " + dir.string());
}

/// A temporary directory with a CA and the certificate "server", removed with its files.
class TestCertificates {
 public:
  TestCertificates() {
    std::random_device random;
    dir_ = std::filesystem::temp_directory_path() /
           ("opp-test-certs-" + std::to_string(random()) + std::to_string(random()));
    make_test_certificate(dir_);
  }
  ~TestCertificates() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  void make(const std::string& name) const { make_test_certificate(dir_, name); }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path ca() const { return dir_ / "ca.crt"; }
  std::filesystem::path cert(const std::string& name = "server") const {
    return dir_ / (name + ".crt");
  }
  std::filesystem::path key(const std::string& name = "server") const {
    return dir_ / (name + ".key");
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace opp::test
