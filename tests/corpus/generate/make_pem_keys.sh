#!/usr/bin/env bash
# Writes the throwaway PEM private keys under pem_keys/ (run once; openssl's
# randomness cannot be seeded, so the keys are committed and pii_prompts.py
# reads them). These keys protect nothing: they exist only as test values.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p pem_keys && cd pem_keys
for n in 1 2 3 4 5 6; do
  openssl genpkey -algorithm ed25519 -out "ed25519_$n.pem"
  openssl ecparam -genkey -name prime256v1 -noout -out "ec_$n.pem"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "rsa1024_pkcs8_$n.pem"
  openssl genrsa -traditional -out "rsa1024_trad_$n.pem" 1024
done
for n in 1 2 3; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "rsa2048_pkcs8_$n.pem"
  openssl genpkey -algorithm ed25519 -aes256 -pass pass:corpus -out "enc_ed25519_$n.pem"
  ssh-keygen -q -t ed25519 -N '' -C corpus -f "ssh_ed25519_$n"
  mv "ssh_ed25519_$n" "openssh_ed25519_$n.pem" && rm "ssh_ed25519_$n.pub"
done
