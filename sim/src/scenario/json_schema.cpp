#include "scenario/json_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <variant>

namespace fargatelab::detail {
namespace {

using json = nlohmann::json;
using Token = std::variant<std::size_t, std::string>;  // array index or object key
using Path = std::vector<Token>;  // ordered like the document: prefix first, indices numerically

struct Error {
  Path path;
  std::string message;
};

const std::set<std::string, std::less<>> kKeywords = {
    "$schema", "$id", "title", "description", "default", "$defs", "$ref", "type", "properties",
    "required", "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "enum",
    "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern",
    "minLength", "maxLength", "anyOf", "oneOf", "allOf"};
const std::vector<std::string> kTypes = {"object", "array", "string", "number", "integer", "boolean", "null"};
constexpr std::size_t kMaxShown = 60;  // characters of a value quoted in a message
constexpr int kMaxFillDepth = 64;      // guards recursive schemas whose defaults nest forever

std::string to_pointer(const Path& path) {
  std::string out;
  for (const Token& t : path)
    out += "/" + (t.index() == 0 ? std::to_string(std::get<0>(t)) : pointer_escape(std::get<1>(t)));
  return out;
}

// ---- describing values -------------------------------------------------------------------

// JSON Schema's "integer": any number with a zero fractional part (3.0 included).
bool is_integer(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

std::string type_of(const json& v) {
  if (v.is_number()) return is_integer(v) ? "integer" : "number";
  return v.type_name();  // object, array, string, boolean, null
}

bool has_type(const std::string& type, const json& v) {
  if (type == "number") return v.is_number();
  return type == type_of(v);
}

// Compact JSON text of v, cut to about kMaxShown characters (at a UTF-8 boundary).
std::string compact(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() <= kMaxShown) return s;
  std::size_t cut = kMaxShown - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

std::string quote(std::string_view s) { return compact(json(s)); }

// " (did you mean \"x\"?)" for the closest candidate, or "" when none is close.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string hint = did_you_mean(word, candidates);
  return hint.empty() ? "" : " (did you mean " + quote(hint) + "?)";
}

// "string \"abc\"", "integer 5", "null", "object": what was found.
std::string describe(const json& v) {
  if (v.is_structured() || v.is_null()) return type_of(v);
  return type_of(v) + " " + compact(v);
}

std::string with_article(const std::string& type) {
  if (type == "null") return type;
  return (type == "object" || type == "array" || type == "integer" ? "an " : "a ") + type;
}

// "a", "a or b", "a, b or c" (or with another last word, e.g. "and").
std::string join_or(const std::vector<std::string>& parts, std::string_view last = "or") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " " + std::string(last) + " " : ", ") + parts[i];
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : std::string(sep)) + parts[i];
  return out;
}

std::vector<std::string> type_list(const json& type) {
  return type.is_string() ? std::vector<std::string>{type.get<std::string>()} : type.get<std::vector<std::string>>();
}

std::string type_phrase(const json& type) {
  std::vector<std::string> parts;
  for (const std::string& t : type_list(type)) parts.push_back(with_article(t));
  return join_or(parts);
}

bool type_matches(const json& type, const json& v) {
  const auto types = type_list(type);
  return std::any_of(types.begin(), types.end(), [&](const std::string& t) { return has_type(t, v); });
}

// ---- exact numeric comparison (int64, uint64 and double mixed) -----------------------------

template <class T>
int cmp(T a, T b) { return (a > b) - (a < b); }

int cmp_int_uint(std::int64_t a, std::uint64_t b) { return a < 0 ? -1 : cmp<std::uint64_t>(a, b); }

int cmp_double_int(double d, std::int64_t i) {
  if (d < -0x1p63) return -1;
  if (d >= 0x1p63) return 1;
  const double t = std::trunc(d);  // exactly representable as int64 in this range
  const auto ti = static_cast<std::int64_t>(t);
  return ti != i ? cmp(ti, i) : cmp(d, t);
}

int cmp_double_uint(double d, std::uint64_t u) {
  if (d < 0) return -1;
  if (d >= 0x1p64) return 1;
  const double t = std::trunc(d);
  const auto tu = static_cast<std::uint64_t>(t);
  return tu != u ? cmp(tu, u) : cmp(d, t);
}

// Three-way comparison of two JSON numbers without rounding either: -1, 0 or 1.
int compare_numbers(const json& a, const json& b) {
  if (a.is_number_float() && b.is_number_float()) return cmp(a.get<double>(), b.get<double>());
  if (a.is_number_float())
    return b.is_number_unsigned() ? cmp_double_uint(a.get<double>(), b.get<std::uint64_t>())
                                  : cmp_double_int(a.get<double>(), b.get<std::int64_t>());
  if (b.is_number_float()) return -compare_numbers(b, a);
  if (a.is_number_unsigned() && b.is_number_unsigned()) return cmp(a.get<std::uint64_t>(), b.get<std::uint64_t>());
  if (a.is_number_unsigned()) return -cmp_int_uint(b.get<std::int64_t>(), a.get<std::uint64_t>());
  if (b.is_number_unsigned()) return cmp_int_uint(a.get<std::int64_t>(), b.get<std::uint64_t>());
  return cmp(a.get<std::int64_t>(), b.get<std::int64_t>());
}

// JSON Schema equality: numbers by value (1 == 1.0), containers element-wise.
bool json_equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_array())
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), json_equal);
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& el : a.items())
      if (!b.contains(el.key()) || !json_equal(el.value(), b[el.key()])) return false;
    return true;
  }
  return a == b;
}

std::size_t utf8_length(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// ---- the schema itself ---------------------------------------------------------------------

[[noreturn]] void bad_schema(const std::string& where, const std::string& what) {
  throw std::invalid_argument(fmt::format("JSON schema: {} at {}", what, where.empty() ? "#" : "#" + where));
}

// The subschema a local "#/$defs/..." reference names. Throws std::out_of_range otherwise
// (never after construction, which checks every reference).
const json& resolve(const json& root, const json& ref) {
  const std::string text = ref.is_string() ? ref.get<std::string>() : "";
  if (text.rfind("#/$defs/", 0) != 0)
    throw std::out_of_range("only local \"#/$defs/...\" references are supported, got " + compact(ref));
  try {
    return root.at(json::json_pointer(text.substr(1)));
  } catch (const json::exception&) {
    throw std::out_of_range("unresolvable reference " + quote(text));
  }
}

// The "default" of s: its own, else the first found through $ref, then allOf.
const json* default_of(const json& root, const json& s) {
  if (!s.is_object()) return nullptr;
  if (auto d = s.find("default"); d != s.end()) return &*d;
  if (auto r = s.find("$ref"); r != s.end())
    if (const json* d = default_of(root, resolve(root, *r))) return d;
  if (auto all = s.find("allOf"); all != s.end())
    for (const json& b : *all)
      if (const json* d = default_of(root, b)) return d;
  return nullptr;
}

// The branch of a oneOf/anyOf that object v selects by a discriminator: a property of the
// branch (own, or through $ref) with a "const" that v's member of that name equals, e.g.
// {"type": {"const": "registry"}} for {"type": "registry", ...}. Null unless exactly one
// branch is selected so.
const json* discriminated_branch(const json& root, const json& branches, const json& v) {
  if (!v.is_object()) return nullptr;
  const json* found = nullptr;
  for (const json& b : branches) {
    const json* s = &b;
    while (s->is_object() && s->contains("$ref")) s = &resolve(root, s->at("$ref"));
    if (!s->is_object() || !s->contains("properties")) continue;
    bool selects = false;
    for (const auto& p : s->at("properties").items())
      if (p.value().is_object() && p.value().contains("const") && v.contains(p.key()) &&
          json_equal(v.at(p.key()), p.value().at("const")))
        selects = true;
    if (!selects) continue;
    if (found) return nullptr;
    found = &b;
  }
  return found;
}

// Appends s and every schema that applies in place with it for sure ($ref, allOf, and the
// branch of a oneOf that `node` selects by its discriminator).
void in_place(const json& root, const json& s, std::vector<const json*>& out, const json& node) {
  if (!s.is_object()) return;
  out.push_back(&s);
  if (auto r = s.find("$ref"); r != s.end()) in_place(root, resolve(root, *r), out, node);
  if (auto all = s.find("allOf"); all != s.end())
    for (const json& b : *all) in_place(root, b, out, node);
  if (auto one = s.find("oneOf"); one != s.end())
    if (const json* b = discriminated_branch(root, *one, node)) in_place(root, *b, out, node);
}

void fill(const json& root, const json& s, json& node, int depth) {
  if (depth > kMaxFillDepth || !node.is_structured()) return;
  std::vector<const json*> schemas;
  in_place(root, s, schemas, node);
  for (const json* sc : schemas) {
    auto props = sc->find("properties");
    auto extra = sc->find("additionalProperties");
    auto items = sc->find("items");
    if (node.is_object() && props != sc->end()) {
      for (const auto& p : props->items()) {
        if (!node.contains(p.key()))
          if (const json* d = default_of(root, p.value())) node[p.key()] = *d;
        if (node.contains(p.key())) fill(root, p.value(), node[p.key()], depth + 1);
      }
    }
    if (node.is_object() && extra != sc->end() && extra->is_object())
      for (auto& el : node.items())
        if (props == sc->end() || !props->contains(el.key())) fill(root, *extra, el.value(), depth + 1);
    if (node.is_array() && items != sc->end())
      for (json& el : node) fill(root, *items, el, depth + 1);
  }
}

// Whether s could accept v's type, judging by "type" (own, else through $ref), else by the
// values of enum or const; a schema that constrains none of these fits every type.
bool type_fits(const json& root, const json& s, const json& v) {
  if (s.is_boolean()) return s.get<bool>();
  if (auto t = s.find("type"); t != s.end()) return type_matches(*t, v);
  if (auto r = s.find("$ref"); r != s.end()) return type_fits(root, resolve(root, *r), v);
  const auto same_kind = [&](const json& x) { return x.type() == v.type() || (x.is_number() && v.is_number()); };
  if (auto e = s.find("enum"); e != s.end()) return std::any_of(e->begin(), e->end(), same_kind);
  if (auto c = s.find("const"); c != s.end()) return same_kind(*c);
  return true;
}

// What s asks for, as a noun phrase: "a string", "one of \"a\", \"b\"", "1".
std::string expectation(const json& root, const json& s) {
  if (s.is_boolean()) return s.get<bool>() ? "any value" : "no value";
  if (auto t = s.find("type"); t != s.end()) return type_phrase(*t);
  if (auto r = s.find("$ref"); r != s.end()) return expectation(root, resolve(root, *r));
  if (auto e = s.find("enum"); e != s.end()) {
    std::vector<std::string> values;
    for (const json& x : *e) values.push_back(compact(x));
    return "one of " + join(values, ", ");
  }
  if (auto c = s.find("const"); c != s.end()) return compact(*c);
  return "a valid value";
}

void check_cycles(const json& root, const json& s, std::vector<const json*>& stack, const std::string& where) {
  if (!s.is_object()) return;
  if (std::find(stack.begin(), stack.end(), &s) != stack.end())
    bad_schema(where, "a cycle of $ref/allOf/anyOf/oneOf that never descends into the instance");
  stack.push_back(&s);
  if (auto r = s.find("$ref"); r != s.end()) check_cycles(root, resolve(root, *r), stack, where);
  for (const char* kw : {"allOf", "anyOf", "oneOf"})
    if (auto bs = s.find(kw); bs != s.end())
      for (const json& b : *bs) check_cycles(root, b, stack, where);
  stack.pop_back();
}

// Structural check of one (sub)schema and, recursively, of all its subschemas; compiles
// every pattern into patterns. Throws std::invalid_argument naming the place ("#/...").
void check_schema(const json& root, const json& s, const std::string& where,
                  std::unordered_map<std::string, std::regex>& patterns) {
  if (s.is_boolean()) return;
  if (!s.is_object()) bad_schema(where, "a schema must be an object or a boolean, got " + describe(s));
  const auto need = [&](const char* kw, bool ok, const char* what) {
    if (s.contains(kw) && !ok) bad_schema(where, fmt::format("\"{}\" must be {}", kw, what));
  };
  const auto get = [&](const char* kw) { return s.contains(kw) ? s[kw] : json(); };
  const auto is_count = [](const json& v) { return is_integer(v) && v.get<double>() >= 0; };
  const auto is_type_name = [](const json& t) {
    return t.is_string() && std::count(kTypes.begin(), kTypes.end(), t.get<std::string>()) == 1;
  };

  for (const auto& el : s.items()) {
    if (kKeywords.count(el.key())) continue;
    const std::vector<std::string> known(kKeywords.begin(), kKeywords.end());
    bad_schema(where, "unsupported keyword " + quote(el.key()) + suggestion(el.key(), known));
  }
  for (const char* kw : {"$schema", "$id", "title", "description", "$ref", "pattern"})
    need(kw, get(kw).is_string(), "a string");
  for (const char* kw : {"minItems", "maxItems", "minLength", "maxLength"})
    need(kw, is_count(get(kw)), "a non-negative integer");
  for (const char* kw : {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
    need(kw, get(kw).is_number(), "a number");
  const json type = get("type");
  need("type",
       is_type_name(type) || (type.is_array() && !type.empty() && std::all_of(type.begin(), type.end(), is_type_name)),
       "a type name or a non-empty array of them");
  need("uniqueItems", get("uniqueItems").is_boolean(), "a boolean");
  need("enum", get("enum").is_array(), "an array");
  const json req = get("required");
  need("required", req.is_array() && std::all_of(req.begin(), req.end(), [](const json& r) { return r.is_string(); }),
       "an array of strings");
  for (const char* kw : {"properties", "$defs"}) need(kw, get(kw).is_object(), "an object of schemas");
  for (const char* kw : {"anyOf", "oneOf", "allOf"})
    need(kw, get(kw).is_array() && !get(kw).empty(), "a non-empty array of schemas");

  if (s.contains("pattern")) {
    const std::string p = s["pattern"];
    try {
      patterns.try_emplace(p, p, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      bad_schema(where, "invalid pattern " + quote(p) + ": " + e.what());
    }
  }
  if (s.contains("$ref")) {
    try {
      if (const json& target = resolve(root, s["$ref"]); !target.is_object() && !target.is_boolean())
        bad_schema(where, "\"$ref\" must name a schema, got " + describe(target));
      std::vector<const json*> stack;
      check_cycles(root, s, stack, where);
    } catch (const std::out_of_range& e) {
      bad_schema(where, e.what());
    }
  }
  for (const char* kw : {"properties", "$defs"})
    if (s.contains(kw))
      for (const auto& el : s[kw].items())
        check_schema(root, el.value(), where + "/" + kw + "/" + pointer_escape(el.key()), patterns);
  for (const char* kw : {"additionalProperties", "items"})
    if (s.contains(kw)) check_schema(root, s[kw], where + "/" + kw, patterns);
  for (const char* kw : {"anyOf", "oneOf", "allOf"})
    if (s.contains(kw))
      for (std::size_t i = 0; i < s[kw].size(); ++i)
        check_schema(root, s[kw][i], fmt::format("{}/{}/{}", where, kw, i), patterns);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: edits are insert, delete, substitute, swap neighbours.
std::size_t osa_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  std::size_t best = std::max<std::size_t>(1, word.size() / 3) + 1;
  std::string found;
  for (const std::string& c : candidates)
    if (const std::size_t d = osa_distance(w, lower(c)); d < best) best = d, found = c;
  return found;
}

std::string pointer_escape(std::string_view token) {
  std::string out;
  for (char c : token) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// ---- validation ----------------------------------------------------------------------------

// One validation pass: the path of the instance being checked and the errors found so far.
struct JsonSchema::Walk {
  const JsonSchema& js;
  Path path;
  std::vector<Error> errors;

  void error(std::string message) { errors.push_back({path, std::move(message)}); }

  void child(Token t, const json& s, const json& v) {
    path.push_back(std::move(t));
    node(s, v);
    path.pop_back();
  }

  // Errors of v against s alone, for trying the branches of anyOf/oneOf.
  std::vector<Error> attempt(const json& s, const json& v) const {
    Walk w{js, path, {}};
    w.node(s, v);
    return std::move(w.errors);
  }

  void node(const json& s, const json& v) {
    if (s.is_boolean()) {
      if (!s.get<bool>()) error("no value is allowed here, got " + describe(v));
      return;
    }
    // A type mismatch makes the schema's other keywords moot; report it alone.
    if (auto t = s.find("type"); t != s.end() && !type_matches(*t, v))
      return error("expected " + type_phrase(*t) + ", got " + describe(v));
    if (auto r = s.find("$ref"); r != s.end()) node(resolve(js.schema_, *r), v);
    values(s, v);
    if (v.is_number()) number(s, v);
    if (v.is_string()) text(s, v.get<std::string>());
    if (v.is_object()) object(s, v);
    if (v.is_array()) array(s, v);
    for (const char* kw : {"allOf", "anyOf", "oneOf"})
      if (auto bs = s.find(kw); bs != s.end()) combinator(kw, *bs, v);
  }

  void values(const json& s, const json& v) {
    const auto equals_v = [&](const json& x) { return json_equal(x, v); };
    if (auto e = s.find("enum"); e != s.end() && std::none_of(e->begin(), e->end(), equals_v)) {
      std::vector<std::string> shown, names;
      for (const json& x : *e) {
        shown.push_back(compact(x));
        if (x.is_string()) names.push_back(x.get<std::string>());
      }
      error(compact(v) + " is not one of " + join(shown, ", ") +
            (v.is_string() ? suggestion(v.get<std::string>(), names) : ""));
    }
    if (auto c = s.find("const"); c != s.end() && !json_equal(*c, v))
      error("expected " + compact(*c) + ", got " + describe(v));
  }

  void number(const json& s, const json& v) {
    const auto bound = [&](const char* kw, auto violated, const char* what) {
      if (auto b = s.find(kw); b != s.end() && violated(compare_numbers(v, *b)))
        error(fmt::format("{} {} {}", compact(v), what, compact(*b)));
    };
    bound("minimum", [](int c) { return c < 0; }, "is below the minimum");
    bound("maximum", [](int c) { return c > 0; }, "is above the maximum");
    bound("exclusiveMinimum", [](int c) { return c <= 0; }, "is not above the exclusive minimum");
    bound("exclusiveMaximum", [](int c) { return c >= 0; }, "is not below the exclusive maximum");
  }

  void text(const json& s, const std::string& v) {
    const std::size_t n = utf8_length(v);
    if (auto m = s.find("minLength"); m != s.end() && n < m->get<std::size_t>())
      error(fmt::format("{} is shorter than the minimum length {}", quote(v), m->get<std::size_t>()));
    if (auto m = s.find("maxLength"); m != s.end() && n > m->get<std::size_t>())
      error(fmt::format("{} is longer than the maximum length {}", quote(v), m->get<std::size_t>()));
    if (auto p = s.find("pattern"); p != s.end() && !std::regex_search(v, js.patterns_.at(p->get<std::string>()))) {
      auto d = s.find("description");
      error(quote(v) + (d != s.end() ? " does not match the expected form: " + d->get<std::string>()
                                     : " does not match the pattern " + quote(p->get<std::string>())));
    }
  }

  void object(const json& s, const json& v) {
    if (auto req = s.find("required"); req != s.end())
      for (const json& name : *req)
        if (!v.contains(name.get<std::string>())) error("missing required property " + compact(name));
    const auto props = s.find("properties");
    const auto extra = s.find("additionalProperties");
    for (const auto& el : v.items()) {
      if (props != s.end() && props->contains(el.key())) {
        child(el.key(), (*props)[el.key()], el.value());
      } else if (extra != s.end() && *extra == false) {
        path.push_back(el.key());
        const json* known = props != s.end() ? &*props : nullptr;
        error("unknown property " + quote(el.key()) + " " + property_hint(el.key(), known));
        path.pop_back();
      } else if (extra != s.end()) {
        child(el.key(), *extra, el.value());
      }
    }
  }

  // "(did you mean ...?)", else the list of the allowed names.
  static std::string property_hint(const std::string& key, const json* props) {
    std::vector<std::string> names;
    if (props != nullptr)
      for (const auto& el : props->items()) names.push_back(el.key());
    if (names.empty()) return "(no properties are allowed here)";
    if (const std::string hint = did_you_mean(key, names); !hint.empty()) return "(did you mean " + quote(hint) + "?)";
    return "(expected one of: " + join(names, ", ") + ")";
  }

  void array(const json& s, const json& v) {
    const auto items_text = [](const json& n) { return fmt::format("{} item{}", n.dump(), n == 1 ? "" : "s"); };
    if (auto m = s.find("minItems"); m != s.end() && v.size() < m->get<std::size_t>())
      error(fmt::format("expected at least {}, got {}", items_text(*m), v.size()));
    if (auto m = s.find("maxItems"); m != s.end() && v.size() > m->get<std::size_t>())
      error(fmt::format("expected at most {}, got {}", items_text(*m), v.size()));
    if (auto items = s.find("items"); items != s.end())
      for (std::size_t i = 0; i < v.size(); ++i) child(i, *items, v[i]);
    if (auto u = s.find("uniqueItems"); u != s.end() && *u == true)
      for (std::size_t i = 1; i < v.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (json_equal(v[i], v[j])) {
            path.push_back(i);
            error(fmt::format("{} duplicates item {} (items must be unique)", compact(v[i]), j));
            path.pop_back();
            break;
          }
  }

  void combinator(std::string_view kw, const json& branches, const json& v) {
    if (kw == "allOf") {
      for (const json& b : branches) node(b, v);
      return;
    }
    std::vector<std::vector<Error>> results;
    std::vector<std::string> passed;
    for (const json& b : branches) {
      results.push_back(attempt(b, v));
      if (results.back().empty()) passed.push_back(std::to_string(results.size() - 1));
    }
    if (kw == "oneOf" && passed.size() > 1)
      return error("matches more than one of the allowed forms (alternatives " + join_or(passed, "and") +
                   "), expected exactly one");
    if (passed.empty()) no_branch_matched(branches, results, v);
  }

  // If exactly one branch accepts v's type, its errors are the useful ones; otherwise say
  // what the branches expected.
  void no_branch_matched(const json& branches, const std::vector<std::vector<Error>>& results, const json& v) {
    // A branch selected by its discriminator ("type": "registry") has the useful errors.
    if (const json* b = discriminated_branch(js.schema_, branches, v)) {
      const auto& e = results[static_cast<std::size_t>(b - &branches[0])];
      errors.insert(errors.end(), e.begin(), e.end());
      return;
    }
    std::vector<std::size_t> fitting;
    for (std::size_t i = 0; i < branches.size(); ++i)
      if (type_fits(js.schema_, branches[i], v)) fitting.push_back(i);
    if (fitting.size() == 1) {
      const auto& e = results[fitting[0]];
      errors.insert(errors.end(), e.begin(), e.end());
    } else if (fitting.empty()) {
      std::vector<std::string> expected;
      for (const json& b : branches)
        if (std::string x = expectation(js.schema_, b); std::count(expected.begin(), expected.end(), x) == 0)
          expected.push_back(x);
      error("expected " + join_or(expected) + ", got " + describe(v));
    } else {
      std::vector<std::string> reasons;
      for (std::size_t i : fitting) {
        const Error& e = results[i].front();
        reasons.push_back((e.path == path ? "" : "at " + to_pointer(e.path) + ": ") + e.message);
      }
      error("matches none of the allowed forms: " + join(reasons, "; or "));
    }
  }
};

JsonSchema::JsonSchema(nlohmann::json schema) : schema_(std::move(schema)) {
  check_schema(schema_, schema_, "", patterns_);
}

void JsonSchema::fill_defaults(nlohmann::json& doc) const { fill(schema_, schema_, doc, 0); }

void JsonSchema::validate(const nlohmann::json& doc, std::vector<Diagnostic>& out) const {
  Walk walk{*this, {}, {}};
  walk.node(schema_, doc);
  // Stable: errors at one place keep the order the keywords were checked in.
  std::stable_sort(walk.errors.begin(), walk.errors.end(),
                   [](const Error& a, const Error& b) { return a.path < b.path; });
  std::set<std::pair<Path, std::string>> seen;
  for (Error& e : walk.errors)
    if (seen.emplace(e.path, e.message).second) out.push_back({to_pointer(e.path), std::move(e.message)});
}

}  // namespace fargatelab::detail
