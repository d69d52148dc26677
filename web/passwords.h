// Users' passwords: kept only as Argon2id hashes (libsodium's crypto_pwhash_str form, which
// carries its own salt and costs), so a copy of the database does not give them away.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace casenote {

// Why `password` is too weak to set, or nothing when it will do.
std::optional<std::string> weak_password_reason(const std::string& password);

// A fresh salted Argon2id hash of `password` at libsodium's interactive costs.
Result<std::string> hash_password(const std::string& password);

// True when `password` is the one `hash` was made from. Takes as long for a wrong password as
// for the right one, and is false for a malformed hash.
bool password_matches(const std::string& hash, const std::string& password);

}  // namespace casenote
