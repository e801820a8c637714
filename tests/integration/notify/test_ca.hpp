#pragma once
// Throwaway certificates for the HTTPS notification tests, made with OpenSSL's C API at
// test time (EC P-256 keys): a CA, leaf certificates it issues for given names, and
// self-signed leaves that chain to nothing.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace opp::payment::test {

struct CertifiedKey {
  std::string certificate_pem;
  std::string private_key_pem;
};

class TestCa {
 public:
  TestCa();
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& certificate_pem() const;
  /// Writes the CA certificate as PEM to `file` and returns it.
  std::filesystem::path write_certificate(const std::filesystem::path& file) const;

  /// A server certificate for `names` (subjectAltName: DNS names, and IP addresses for
  /// entries that parse as one), signed by this CA.
  CertifiedKey issue(const std::vector<std::string>& names) const;

  /// A server certificate for `names` signed by its own key.
  static CertifiedKey self_signed(const std::vector<std::string>& names);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opp::payment::test
