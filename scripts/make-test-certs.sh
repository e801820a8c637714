#!/usr/bin/env bash
# A throwaway certificate authority and a server certificate it signed, for local TLS
# (`make run`, the tests). Never for production: the CA key lies beside the certificates.
#
#   scripts/make-test-certs.sh DIR [NAME]
#
# Makes DIR/ca.crt and DIR/ca.key when they are missing, then DIR/NAME.crt and
# DIR/NAME.key (NAME defaults to server): an ECDSA P-256 key and a certificate signed by
# the CA for localhost, 127.0.0.1 and ::1, subject OU=NAME, valid for $DAYS (365) days.
# Clients trust it with the CA file: curl --cacert DIR/ca.crt, merchant.sh --cacert.
set -euo pipefail
dir=${1:?usage: make-test-certs.sh DIR [NAME]}
name=${2:-server}
days=${DAYS:-365}
command -v openssl >/dev/null || { echo "make-test-certs.sh: openssl is not installed" >&2; exit 2; }
mkdir -p "$dir"
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/opp-certs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Our own config, so the system's openssl.cnf adds no extensions of its own.
cat >"$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

if [ ! -f "$dir/ca.crt" ] || [ ! -f "$dir/ca.key" ]; then
  new_key "$dir/ca.key"
  openssl req -config "$work/openssl.cnf" -new -x509 -extensions ca -days "$days" \
    -key "$dir/ca.key" -subj "/O=Open Payment Platform test/CN=opp test CA" -out "$dir/ca.crt"
fi
new_key "$work/server.key"
openssl req -config "$work/openssl.cnf" -new -key "$work/server.key" \
  -subj "/O=Open Payment Platform test/OU=$name/CN=localhost" -out "$work/server.csr"
openssl x509 -req -in "$work/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
  -set_serial "0x$(openssl rand -hex 16)" -days "$days" \
  -extfile "$work/openssl.cnf" -extensions server -out "$work/server.crt" 2>/dev/null
# Published by rename, so a gateway reloading meanwhile reads either pair whole.
mv "$work/server.key" "$dir/$name.key"
mv "$work/server.crt" "$dir/$name.crt"
chmod 644 "$dir/ca.crt" "$dir/$name.crt"
