// An HTTP request and response as the review workstation's handlers see them: plain values,
// so that the whole application can be exercised without a socket (web/http_server.h carries
// them over HTTP).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace casenote {

struct WebRequest {
  std::string method;                         // GET, POST, ...
  std::string path;                           // without the query string, percent-decoded
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;

  // The header's value, or "" when absent. `name` in lower case.
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
  // The query parameter's value, or "" when absent.
  std::string parameter(const std::string& name) const {
    auto found = query.find(name);
    return found == query.end() ? "" : found->second;
  }
};

struct WebResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

}  // namespace casenote
