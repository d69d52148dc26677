// Signing in to the review workstation: password hashes, sessions and their expiry, and the
// limit on failed sign-ins.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "web/passwords.h"
#include "web/login_throttle.h"
#include "web/session_table.h"

using namespace casenote;
using namespace std::chrono_literals;

TEST_CASE("a password is kept as a salted Argon2id hash that only it matches", "[web][auth]") {
  auto first = hash_password("correct horse battery");
  auto second = hash_password("correct horse battery");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->rfind("$argon2id$", 0) == 0);
  CHECK(first->find("correct horse") == std::string::npos);
  CHECK(*first != *second);  // salted
  CHECK(password_matches(*first, "correct horse battery"));
  CHECK(password_matches(*second, "correct horse battery"));
  CHECK_FALSE(password_matches(*first, "correct horse batterY"));
  CHECK_FALSE(password_matches(*first, ""));
  CHECK_FALSE(password_matches("not a hash", "correct horse battery"));
  CHECK_FALSE(password_matches("", ""));
}

TEST_CASE("a short password is refused with the reason", "[web][auth]") {
  CHECK(weak_password_reason("short") == std::optional<std::string>("a password needs at least 10 characters"));
  CHECK_FALSE(weak_password_reason("long enough!").has_value());
}

TEST_CASE("a session is found by its token until it ends or expires", "[web][auth]") {
  SessionTable sessions(30min, 12h);
  const auto t0 = SessionTable::Clock::time_point{} + 1000h;
  auto ann = sessions.start("clerk.ann", t0);
  auto bob = sessions.start("clerk.bob", t0);
  REQUIRE(ann.ok());
  REQUIRE(bob.ok());
  CHECK(ann->token.size() == 64);
  CHECK(ann->token != bob->token);
  CHECK(ann->csrf_token != ann->token);

  auto found = sessions.find(ann->token, t0 + 1min);
  REQUIRE(found.has_value());
  CHECK(found->user == "clerk.ann");
  CHECK(found->csrf_token == ann->csrf_token);
  CHECK_FALSE(sessions.find("", t0).has_value());
  CHECK_FALSE(sessions.find(ann->csrf_token, t0).has_value());
  CHECK_FALSE(sessions.find(ann->token.substr(0, 63), t0).has_value());

  // Each request keeps it alive; idleness ends it.
  CHECK(sessions.find(ann->token, t0 + 25min).has_value());
  CHECK(sessions.find(ann->token, t0 + 50min).has_value());
  CHECK_FALSE(sessions.find(bob->token, t0 + 31min).has_value());
  CHECK_FALSE(sessions.find(bob->token, t0 + 1min).has_value());  // forgotten once expired

  sessions.end(ann->token);
  CHECK_FALSE(sessions.find(ann->token, t0 + 51min).has_value());
}

TEST_CASE("a session ends at its absolute limit however busy it is", "[web][auth]") {
  SessionTable sessions(30min, 2h);
  const auto t0 = SessionTable::Clock::time_point{} + 1000h;
  auto started = sessions.start("clerk.ann", t0);
  REQUIRE(started.ok());
  for (auto t = t0; t < t0 + 2h; t += 20min) REQUIRE(sessions.find(started->token, t).has_value());
  CHECK_FALSE(sessions.find(started->token, t0 + 2h + 1min).has_value());
}

TEST_CASE("tokens compare equal only when they are the same", "[web][auth]") {
  CHECK(tokens_equal("abc", "abc"));
  CHECK_FALSE(tokens_equal("abc", "abd"));
  CHECK_FALSE(tokens_equal("abc", "ab"));
  CHECK_FALSE(tokens_equal("", "abc"));
}

TEST_CASE("too many failed sign-ins for a name refuse it until the window passes", "[web][auth]") {
  LoginThrottle throttle(3, 15min);
  const auto t0 = LoginThrottle::Clock::time_point{} + 1000h;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(throttle.allows("clerk.ann", t0 + std::chrono::minutes(i)));
    throttle.record_failure("clerk.ann", t0 + std::chrono::minutes(i));
  }
  CHECK_FALSE(throttle.allows("clerk.ann", t0 + 3min));
  CHECK(throttle.allows("clerk.bob", t0 + 3min));
  CHECK_FALSE(throttle.allows("clerk.ann", t0 + 16min));  // counted from the last failure
  CHECK(throttle.allows("clerk.ann", t0 + 18min));

  throttle.record_failure("clerk.bob", t0);
  throttle.record_failure("clerk.bob", t0);
  throttle.record_success("clerk.bob");
  throttle.record_failure("clerk.bob", t0);
  throttle.record_failure("clerk.bob", t0);
  CHECK(throttle.allows("clerk.bob", t0));
}

TEST_CASE("names whose window has passed are swept out of the sign-in throttle", "[web][auth][throttle]") {
  LoginThrottle throttle(3, 15min, 100);
  const auto t0 = LoginThrottle::Clock::time_point{} + 1000h;
  for (int i = 0; i < 50; ++i) throttle.record_failure("guess." + std::to_string(i), t0);
  REQUIRE(throttle.tracked_names() == 50);
  throttle.record_failure("clerk.ann", t0 + 10min);  // within the window: nothing has expired
  CHECK(throttle.tracked_names() == 51);
  throttle.record_failure("clerk.bob", t0 + 16min);
  CHECK(throttle.tracked_names() == 2);  // clerk.ann and clerk.bob
}

TEST_CASE("the sign-in throttle tracks no more names than its cap", "[web][auth][throttle]") {
  LoginThrottle throttle(3, 15min, 100);
  const auto t0 = LoginThrottle::Clock::time_point{} + 1000h;
  std::size_t most = 0;
  for (int i = 0; i < 5000; ++i) {  // all within one window, so none has expired
    const auto now = t0 + std::chrono::milliseconds(100 * i);
    const std::string name = "guess." + std::to_string(i);
    REQUIRE(throttle.allows(name, now));
    throttle.record_failure(name, now);
    most = std::max(most, throttle.tracked_names());
  }
  CHECK(most == 100);
  CHECK(throttle.tracked_names() == 100);
}

TEST_CASE("failures under many other names do not unlock a refused name", "[web][auth][throttle]") {
  LoginThrottle throttle(3, 15min, 100);
  const auto t0 = LoginThrottle::Clock::time_point{} + 1000h;
  for (int i = 0; i < 3; ++i) throttle.record_failure("clerk.ann", t0);
  REQUIRE_FALSE(throttle.allows("clerk.ann", t0));
  // clerk.ann has the oldest failure of all, so dropping the oldest name would unlock it.
  for (int i = 0; i < 10'000; ++i)
    throttle.record_failure("guess." + std::to_string(i), t0 + std::chrono::milliseconds(50 * i + 1));
  CHECK(throttle.tracked_names() == 100);
  CHECK_FALSE(throttle.allows("clerk.ann", t0 + 10min));

  SECTION("when every name tracked is refused, so are names not yet seen, until the window passes") {
    const auto t1 = t0 + 10min;
    for (int i = 0; i < 99; ++i)
      for (int n = 0; n < 3; ++n) throttle.record_failure("lock." + std::to_string(i), t1);
    REQUIRE(throttle.tracked_names() == 100);
    CHECK_FALSE(throttle.allows("clerk.bob", t1));
    throttle.record_failure("clerk.bob", t1);
    CHECK_FALSE(throttle.allows("clerk.ann", t1));
    CHECK(throttle.tracked_names() == 100);
    CHECK(throttle.allows("clerk.bob", t1 + 16min));
    CHECK(throttle.allows("clerk.ann", t1 + 16min));
  }
}

TEST_CASE("the sign-in throttle keeps a long name by its first 256 bytes", "[web][auth][throttle]") {
  LoginThrottle throttle(3, 15min);
  const auto t0 = LoginThrottle::Clock::time_point{} + 1000h;
  const std::string prefix(LoginThrottle::kMaxNameBytes, 'x');
  for (char tail : {'a', 'b', 'c'}) throttle.record_failure(prefix + std::string(1'000'000, tail), t0);
  CHECK(throttle.tracked_names() == 1);
  CHECK_FALSE(throttle.allows(prefix + "d", t0));
  CHECK_FALSE(throttle.allows(prefix, t0));
  CHECK(throttle.allows(prefix.substr(1), t0));  // a shorter name is its own
}
