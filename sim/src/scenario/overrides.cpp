#include "scenario/overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "scenario/json_schema.hpp"

namespace fargatelab::detail {
namespace {

using json = nlohmann::json;

// RFC 6901 unescaping of one reference token; throws std::invalid_argument on a bad '~'.
std::string pointer_unescape(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '~') {
      out += raw[i];
    } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
      out += raw[++i] == '0' ? '~' : '/';
    } else {
      throw std::invalid_argument("'~' must be followed by 0 or 1 in a JSON pointer");
    }
  }
  return out;
}

bool is_pointer(std::string_view path) { return !path.empty() && path[0] == '/'; }

// The reference tokens of a JSON pointer or a dotted path. Throws std::invalid_argument for
// an empty path, an empty dotted component or a bad pointer escape.
std::vector<std::string> split_path(std::string_view path) {
  if (path.empty()) throw std::invalid_argument("the path before '=' is empty");
  const char sep = is_pointer(path) ? '/' : '.';
  if (sep == '/') path.remove_prefix(1);
  std::vector<std::string> tokens;
  for (std::size_t start = 0;;) {
    const std::size_t end = path.find(sep, start);
    const std::string_view raw = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (sep == '.' && raw.empty())
      throw std::invalid_argument("empty component in the dotted path \"" + std::string(path) + "\"");
    tokens.push_back(sep == '/' ? pointer_unescape(raw) : std::string(raw));
    if (end == std::string_view::npos) return tokens;
    start = end + 1;
  }
}

// A canonical array index: digits without a leading zero.
bool is_index(const std::string& t) {
  return !t.empty() && t.size() <= 18 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (t == "0" || t[0] != '0');
}

std::string elements(std::size_t n) { return fmt::format("{} element{}", n, n == 1 ? "" : "s"); }

// The index token t selects in arr (== size means append), or the reason it selects none.
// By-name selection ("api" -> the element whose "name" is "api") only for dotted paths.
std::optional<std::size_t> select(const json& arr, const std::string& t, bool by_name, const std::string& where,
                                  std::string& why) {
  if (t == "-") return arr.size();
  if (is_index(t)) {
    if (const std::size_t i = std::stoull(t); i <= arr.size()) return i;
    why = fmt::format("index {} is out of range (array has {})", t, elements(arr.size()));
    return std::nullopt;
  }
  if (!by_name) {
    why = fmt::format("\"{}\" is not an array index (array has {})", t, elements(arr.size()));
    return std::nullopt;
  }
  std::vector<std::size_t> hits;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const json* name = arr[i].is_object() && arr[i].contains("name") ? &arr[i]["name"] : nullptr;
    if (name == nullptr || !name->is_string()) continue;
    names.push_back(name->get<std::string>());
    if (names.back() == t) hits.push_back(i);
  }
  if (hits.size() == 1) return hits[0];
  const std::string array = where.empty() ? "the document" : where;
  if (hits.empty()) {
    const std::string hint = did_you_mean(t, names);
    why = fmt::format("no element of {} has name \"{}\"{}", array, t,
                      hint.empty() ? "" : " (did you mean \"" + hint + "\"?)");
  } else {
    why = fmt::format("{} elements of {} have name \"{}\"; use an index", hits.size(), array, t);
  }
  return std::nullopt;
}

}  // namespace

Override parse_override(std::string_view assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) throw std::invalid_argument("expected path=value, e.g. services.0.desired_count=4");
  split_path(assignment.substr(0, eq));  // throws for an empty path or component
  const std::string text(assignment.substr(eq + 1));
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;
  return {std::string(assignment.substr(0, eq)), std::move(value), std::string(assignment)};
}

std::string apply_override(nlohmann::json& doc, const Override& o, std::vector<Diagnostic>& out) {
  std::string at;  // JSON pointer of *node
  const std::string text = o.text.empty() ? o.path + "=" + o.value.dump() : o.text;
  const auto fail = [&](const std::string& why) {
    out.push_back({at, "--set " + text + ": " + why});
    return std::string();
  };
  std::vector<std::string> tokens;
  try {
    tokens = split_path(o.path);
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  // Failures happen only at existing arrays and scalars, before anything is created below
  // them, so a failed override leaves the document unchanged.
  json* node = &doc;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const bool last = k + 1 == tokens.size();
    const std::string& t = tokens[k];
    if (node->is_null()) *node = t == "-" ? json::array() : json::object();  // created on the way
    if (node->is_object()) {
      at += "/" + pointer_escape(t);
      if (last) (*node)[t] = o.value;
      node = &(*node)[t];
    } else if (node->is_array()) {
      std::string why;
      const auto i = select(*node, t, !is_pointer(o.path), at, why);
      if (!i) return fail(why);
      if (*i == node->size()) {
        node->push_back(last ? o.value : json::object());
      } else if (last) {
        (*node)[*i] = o.value;
      }
      at += "/" + std::to_string(*i);
      node = &(*node)[*i];
    } else {
      const std::string here = at.empty() ? "the document" : at;
      return fail(fmt::format("{} is a {}, so it has no member \"{}\"", here, node->type_name(), t));
    }
  }
  return at;
}

}  // namespace fargatelab::detail
