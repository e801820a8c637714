#include "test_ca.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <stdexcept>

namespace opp::payment::test {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

KeyPtr new_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EC key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  require(extension != nullptr, "certificate extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

std::string subject_alt_names(const std::vector<std::string>& names) {
  std::string value;
  for (const std::string& name : names) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(name, ec);
    value.append(value.empty() ? "" : ",").append(ec ? "DNS:" : "IP:").append(name);
  }
  return value;
}

/// A certificate for `subject_key`, valid from an hour ago for a day, signed by
/// `issuer_key` as `issuer` (nullptr: by itself).
CertPtr make_certificate(EVP_PKEY* subject_key, const std::string& common_name, X509* issuer,
                         EVP_PKEY* issuer_key, bool is_ca, const std::vector<std::string>& names) {
  CertPtr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  require(RAND_bytes(serial, sizeof serial) == 1, "serial number");
  serial[0] &= 0x7f;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), subject_key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (is_ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "CA:FALSE");
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer, NID_subject_alt_name, subject_alt_names(names));
  }
  require(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) > 0,
          "X509_sign");
  return cert;
}

/// What `write` puts into a memory BIO, as text.
template <typename Write>
std::string pem_text(Write write) {
  BIO* bio = BIO_new(BIO_s_mem());
  require(bio != nullptr && write(bio) == 1, "PEM writing");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string certificate_pem(X509* cert) {
  return pem_text([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
}

std::string private_key_pem(EVP_PKEY* key) {
  return pem_text([key](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

/// CAs of one run must differ by name too: OpenSSL picks an issuer by its name.
std::string next_ca_name() {
  static std::atomic<int> counter{0};
  return "opp notify test CA " + std::to_string(++counter);
}

}  // namespace

struct TestCa::Impl {
  KeyPtr key = new_key();
  CertPtr certificate = make_certificate(key.get(), next_ca_name(), nullptr, nullptr, true, {});
  std::string pem = test::certificate_pem(certificate.get());
};

TestCa::TestCa() : impl_(std::make_unique<Impl>()) {}
TestCa::~TestCa() = default;

const std::string& TestCa::certificate_pem() const {
  return impl_->pem;
}

std::filesystem::path TestCa::write_certificate(const std::filesystem::path& file) const {
  std::ofstream(file) << impl_->pem;
  return file;
}

CertifiedKey TestCa::issue(const std::vector<std::string>& names) const {
  KeyPtr key = new_key();
  CertPtr cert = make_certificate(key.get(), names.at(0), impl_->certificate.get(),
                                  impl_->key.get(), false, names);
  return {test::certificate_pem(cert.get()), private_key_pem(key.get())};
}

CertifiedKey TestCa::self_signed(const std::vector<std::string>& names) {
  KeyPtr key = new_key();
  CertPtr cert = make_certificate(key.get(), names.at(0), nullptr, nullptr, false, names);
  return {test::certificate_pem(cert.get()), private_key_pem(key.get())};
}

}  // namespace opp::payment::test
