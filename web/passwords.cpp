#include "web/passwords.h"

#include <sodium.h>

namespace casenote {
namespace {

// Long enough that guessing one against Argon2id takes years; any characters will do.
constexpr size_t kMinPasswordLength = 10;

}  // namespace

std::optional<std::string> weak_password_reason(const std::string& password) {
  if (password.size() < kMinPasswordLength)
    return "a password needs at least " + std::to_string(kMinPasswordLength) + " characters";
  return std::nullopt;
}

Result<std::string> hash_password(const std::string& password) {
  if (sodium_init() < 0) return Error{"hashing a password: libsodium could not start"};
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error{"hashing a password: out of memory"};
  return std::string(hash);
}

bool password_matches(const std::string& hash, const std::string& password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace casenote
