// Tests for the scenario JSON Schema validator (sim/src/scenario/json_schema.*) and the
// "--set path=value" overrides (sim/src/scenario/overrides.*), architecture practice 9:
// defaults are filled, every error is reported at once with its JSON pointer, in document order.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fargatelab/scenario.hpp"
#include "scenario/json_schema.hpp"
#include "scenario/overrides.hpp"

using fargatelab::Diagnostic;
using fargatelab::detail::apply_override;
using fargatelab::detail::did_you_mean;
using fargatelab::detail::JsonSchema;
using fargatelab::detail::Override;
using fargatelab::detail::parse_override;
using fargatelab::detail::pointer_escape;
using json = nlohmann::json;
using Lines = std::vector<std::string>;

namespace Catch {
template <>
struct StringMaker<Diagnostic> {
  static std::string convert(const Diagnostic& d) { return d.to_string(); }
};
}  // namespace Catch

namespace {

// "pointer: message" for each diagnostic of doc against schema, in reported order.
Lines check(const json& schema, const json& doc) {
  std::vector<Diagnostic> out;
  JsonSchema(schema).validate(doc, out);
  Lines lines;
  for (const Diagnostic& d : out) lines.push_back(d.to_string());
  return lines;
}

json filled(const json& schema, json doc) {
  JsonSchema(schema).fill_defaults(doc);
  return doc;
}

JsonSchema scenario_schema() {
  std::ifstream in(FARGATELAB_SOURCE_DIR "/scenarios/schema/scenario.schema.json");
  REQUIRE(in);
  return JsonSchema(json::parse(in));
}

json minimal_scenario() {
  return json::parse(R"J({
    "schema_version": 1,
    "services": [{"name": "api"}],
    "workloads": [{"name": "users", "target": "api", "arrival": "poisson(rate=20)"}]
  })J");
}

const json kServices = json::parse(R"({"services": [{"name": "web", "task": {"cpu": 256}},
                                                    {"name": "api", "task": {"cpu": 256}}]})");

}  // namespace

// ---- keywords and messages ----------------------------------------------------------------

TEST_CASE("json schema: type accepts the listed types and names what it found", "[scenario]") {
  const json integer = {{"type", "integer"}};
  CHECK(check(integer, 3).empty());
  CHECK(check(integer, 3.0).empty());  // an integer-valued double is an integer
  CHECK(check(integer, json(UINT64_MAX)).empty());
  CHECK(check(integer, -7).empty());
  CHECK(check(integer, 3.5) == Lines{"(root): expected an integer, got number 3.5"});
  CHECK(check(integer, "abc") == Lines{"(root): expected an integer, got string \"abc\""});
  CHECK(check({{"type", {"number", "string"}}}, json::object()) ==
        Lines{"(root): expected a number or a string, got object"});
  CHECK(check({{"type", {"object", "array", "null"}}}, true) ==
        Lines{"(root): expected an object, an array or null, got boolean true"});
  CHECK(check({{"type", "number"}}, 3).empty());
  CHECK(check({{"type", "null"}}, nullptr).empty());
  CHECK(check({{"type", "boolean"}}, 0) == Lines{"(root): expected a boolean, got integer 0"});
  CHECK(check({{"type", "string"}}, json::array()) == Lines{"(root): expected a string, got array"});
  CHECK(check({{"type", "array"}}, nullptr) == Lines{"(root): expected an array, got null"});
}

TEST_CASE("json schema: a quoted value is cut to about 60 characters", "[scenario]") {
  const Lines got = check({{"type", "integer"}}, std::string(100, 'x'));
  // 57 characters of the JSON text ("" + 56 x) and "...".
  CHECK(got == Lines{"(root): expected an integer, got string \"" + std::string(56, 'x') + "..."});
}

TEST_CASE("json schema: an unknown property is reported at its own path with a suggestion", "[scenario]") {
  const json near = {{"type", "object"}, {"additionalProperties", false},
                     {"properties", {{"name", json::object()}, {"desired_count", json::object()}}}};
  CHECK(check(near, {{"desird_count", 2}}) ==
        Lines{"/desird_count: unknown property \"desird_count\" (did you mean \"desired_count\"?)"});
  const json abc = {{"additionalProperties", false},
                    {"properties", {{"a", json::object()}, {"b", json::object()}, {"c", json::object()}}}};
  CHECK(check(abc, {{"xyz", 1}, {"b", 2}}) == Lines{"/xyz: unknown property \"xyz\" (expected one of: a, b, c)"});
  CHECK(check({{"additionalProperties", false}}, {{"q", 1}}) ==
        Lines{"/q: unknown property \"q\" (no properties are allowed here)"});
  // The pointer escapes '/' and '~' (RFC 6901).
  CHECK(check(abc, {{"a/b~", 1}}) == Lines{"/a~1b~0: unknown property \"a/b~\" (expected one of: a, b, c)"});
}

TEST_CASE("json schema: additionalProperties as a schema checks the other properties", "[scenario]") {
  const json schema = {{"properties", {{"a", json::object()}}}, {"additionalProperties", {{"type", "integer"}}}};
  CHECK(check(schema, {{"a", "s"}, {"b", "t"}, {"c", 1}}) == Lines{"/b: expected an integer, got string \"t\""});
}

TEST_CASE("json schema: required reports each missing property at the object", "[scenario]") {
  const json schema = json::parse(R"({"type": "object", "required": ["name", "target"],
      "properties": {"inner": {"type": "object", "required": ["x"]}}})");
  CHECK(check(schema, {{"inner", json::object()}}) == Lines{"(root): missing required property \"name\"",
                                                          "(root): missing required property \"target\"",
                                                          "/inner: missing required property \"x\""});
  CHECK(check({{"required", {"name"}}}, "not an object").empty());  // required applies to objects only
}

TEST_CASE("json schema: enum lists the allowed values and suggests the closest", "[scenario]") {
  const json platform = {{"enum", {"fargate", "ecs_ec2", "lambda", "app_runner"}}};
  CHECK(check(platform, "fargate").empty());
  CHECK(check(platform, "fargat") ==
        Lines{"(root): \"fargat\" is not one of \"fargate\", \"ecs_ec2\", \"lambda\", \"app_runner\" "
              "(did you mean \"fargate\"?)"});
  CHECK(check(platform, "kubernetes") ==
        Lines{"(root): \"kubernetes\" is not one of \"fargate\", \"ecs_ec2\", \"lambda\", \"app_runner\""});
  CHECK(check(platform, 3) == Lines{"(root): 3 is not one of \"fargate\", \"ecs_ec2\", \"lambda\", \"app_runner\""});
  CHECK(check({{"enum", {1, "a", nullptr}}}, 1.0).empty());  // numbers compare by value
  CHECK(check({{"enum", {1, "a", nullptr}}}, nullptr).empty());
}

TEST_CASE("json schema: const compares by value", "[scenario]") {
  CHECK(check({{"const", 1}}, 1.0).empty());
  CHECK(check({{"const", 1}}, 2) == Lines{"(root): expected 1, got integer 2"});
  CHECK(check({{"const", 1}}, "1") == Lines{"(root): expected 1, got string \"1\""});
  CHECK(check({{"const", {{"a", {1, 2}}}}}, json::parse(R"({"a": [1, 2.0]})")).empty());
  CHECK(check({{"const", {{"a", {1, 2}}}}}, json::parse(R"({"a": [2, 1]})")) ==
        Lines{"(root): expected {\"a\":[1,2]}, got object"});
}

TEST_CASE("json schema: minimum, maximum and their exclusive forms", "[scenario]") {
  CHECK(check({{"minimum", 0}}, -3) == Lines{"(root): -3 is below the minimum 0"});
  CHECK(check({{"minimum", 0}}, 0).empty());
  CHECK(check({{"maximum", 5000}}, 7000) == Lines{"(root): 7000 is above the maximum 5000"});
  CHECK(check({{"maximum", 5000}}, 5000.0).empty());
  CHECK(check({{"exclusiveMinimum", 0}}, 0) == Lines{"(root): 0 is not above the exclusive minimum 0"});
  CHECK(check({{"exclusiveMinimum", 0}}, 0.5).empty());
  CHECK(check({{"exclusiveMaximum", 1}}, 1.0) == Lines{"(root): 1.0 is not below the exclusive maximum 1"});
  CHECK(check({{"exclusiveMaximum", 1}}, 0.999).empty());
  CHECK(check({{"minimum", 5}}, "abc").empty());  // numeric keywords apply to numbers only
}

TEST_CASE("json schema: numeric bounds compare int64, uint64 and double exactly", "[scenario]") {
  // 2^53 + 1 is not a double; converting it would make it equal to the bound 2^53.
  CHECK(check({{"maximum", 9007199254740992.0}}, std::int64_t{9007199254740993}) ==
        Lines{"(root): 9007199254740993 is above the maximum 9.007199254740992e+15"});
  CHECK(check({{"maximum", json(UINT64_MAX)}}, json(UINT64_MAX)).empty());
  // 2^64 as a double is above UINT64_MAX = 2^64 - 1.
  CHECK(check({{"maximum", json(UINT64_MAX)}}, 18446744073709551616.0) ==
        Lines{"(root): 1.8446744073709552e+19 is above the maximum 18446744073709551615"});
  CHECK(check({{"minimum", -1}}, json(UINT64_MAX)).empty());
  CHECK(check({{"maximum", -1}}, json(std::uint64_t{0})) == Lines{"(root): 0 is above the maximum -1"});
  CHECK(check({{"minimum", json(std::uint64_t{9223372036854775808u})}}, json(INT64_MAX)) ==
        Lines{"(root): 9223372036854775807 is below the minimum 9223372036854775808"});
  CHECK(check({{"minimum", -0.5}}, -1) == Lines{"(root): -1 is below the minimum -0.5"});
  CHECK(check({{"minimum", -0.5}}, 0).empty());
}

TEST_CASE("json schema: pattern searches and explains with the description", "[scenario]") {
  CHECK(check({{"pattern", "b"}}, "abc").empty());  // search, not full match
  CHECK(check({{"pattern", "^[a-f]$"}}, "z") == Lines{"(root): \"z\" does not match the pattern \"^[a-f]$\""});
  const json duration = {{"pattern", "^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$"},
                         {"description", "Seconds as a number, or a string with a unit: ms, s, m, h, d."}};
  CHECK(check(duration, "90s").empty());
  CHECK(check(duration, "5 minutes") ==
        Lines{"(root): \"5 minutes\" does not match the expected form: "
              "Seconds as a number, or a string with a unit: ms, s, m, h, d."});
  CHECK(check(duration, 5).empty());  // pattern applies to strings only
}

TEST_CASE("json schema: minLength and maxLength count characters, not bytes", "[scenario]") {
  const json schema = {{"minLength", 2}, {"maxLength", 3}};
  CHECK(check(schema, "\xc3\xa9") == Lines{"(root): \"\xc3\xa9\" is shorter than the minimum length 2"});
  CHECK(check(schema, "\xc3\xa9\xc3\xa9\xc3\xa9").empty());  // 3 characters, 6 bytes
  CHECK(check(schema, "abcd") == Lines{"(root): \"abcd\" is longer than the maximum length 3"});
  CHECK(check(schema, 12345).empty());
}

TEST_CASE("json schema: items, minItems, maxItems and uniqueItems", "[scenario]") {
  const json schema = json::parse(
      R"({"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true, "items": {"type": "integer"}})");
  CHECK(check(schema, json::array()) == Lines{"(root): expected at least 1 item, got 0"});
  CHECK(check(schema, {1, "x", 1}) == Lines{"(root): expected at most 2 items, got 3",
                                             "/1: expected an integer, got string \"x\"",
                                             "/2: 1 duplicates item 0 (items must be unique)"});
  CHECK(check({{"uniqueItems", true}}, json::parse(R"([{"a": 1}, {"a": 1.0}])")) ==
        Lines{"/1: {\"a\":1.0} duplicates item 0 (items must be unique)"});
  CHECK(check({{"minItems", 3}}, "abc").empty());  // array keywords apply to arrays only
}

TEST_CASE("json schema: boolean schemas accept everything or nothing", "[scenario]") {
  CHECK(check({{"properties", {{"x", false}, {"y", true}}}}, {{"x", 1}, {"y", 2}}) ==
        Lines{"/x: no value is allowed here, got integer 1"});
}

TEST_CASE("json schema: $ref applies the definition and its siblings", "[scenario]") {
  const json schema = json::parse(R"({"$defs": {"small": {"type": "integer", "maximum": 10}},
      "properties": {"n": {"$ref": "#/$defs/small", "minimum": 5}}})");
  CHECK(check(schema, {{"n", 7}}).empty());
  CHECK(check(schema, {{"n", 3}}) == Lines{"/n: 3 is below the minimum 5"});
  CHECK(check(schema, {{"n", 11}}) == Lines{"/n: 11 is above the maximum 10"});
  CHECK(check(schema, {{"n", "x"}}) == Lines{"/n: expected an integer, got string \"x\""});
}

TEST_CASE("json schema: anyOf reports the errors of the one branch of the right type", "[scenario]") {
  const json schema = json::parse(
      R"({"anyOf": [{"type": "string", "pattern": "^[a-z]+$"}, {"type": "integer", "minimum": 0}]})");
  CHECK(check(schema, "abc").empty());
  CHECK(check(schema, 3).empty());
  CHECK(check(schema, "ABC") == Lines{"(root): \"ABC\" does not match the pattern \"^[a-z]+$\""});
  CHECK(check(schema, -1) == Lines{"(root): -1 is below the minimum 0"});
  // Nested errors keep their own pointer.
  const json model = json::parse(R"({"anyOf": [{"type": "string"},
      {"type": "object", "required": ["model"], "properties": {"model": {"type": "string"}}}]})");
  CHECK(check(model, {{"model", 3}}) == Lines{"/model: expected a string, got integer 3"});
  // A branch without "type" is judged by its enum values.
  const json region = json::parse(R"({"$defs": {"region": {"enum": ["us-east-1", "eu-west-1"]}},
      "anyOf": [{"$ref": "#/$defs/region"}, {"type": "null"}]})");
  CHECK(check(region, nullptr).empty());
  CHECK(check(region, "eu-wst-1") ==
        Lines{"(root): \"eu-wst-1\" is not one of \"us-east-1\", \"eu-west-1\" (did you mean \"eu-west-1\"?)"});
}

TEST_CASE("json schema: anyOf says what was expected when no single branch fits the type", "[scenario]") {
  const json schema = json::parse(
      R"({"anyOf": [{"type": "string", "pattern": "^[a-z]+$"}, {"type": "integer", "minimum": 0}]})");
  CHECK(check(schema, true) == Lines{"(root): expected a string or an integer, got boolean true"});
  CHECK(check(schema, 2.5) == Lines{"(root): expected a string or an integer, got number 2.5"});
  const json region = json::parse(R"({"$defs": {"region": {"enum": ["us-east-1", "eu-west-1"]}},
      "anyOf": [{"$ref": "#/$defs/region"}, {"type": "null"}]})");
  CHECK(check(region, 5) == Lines{"(root): expected one of \"us-east-1\", \"eu-west-1\" or null, got integer 5"});
  const json two_strings =
      json::parse(R"({"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "maxLength": 2}]})");
  CHECK(check(two_strings, "bcd") ==
        Lines{"(root): matches none of the allowed forms: \"bcd\" does not match the pattern \"^a\"; or "
              "\"bcd\" is longer than the maximum length 2"});
}

TEST_CASE("json schema: oneOf needs exactly one matching branch", "[scenario]") {
  const json schema = json::parse(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})");
  CHECK(check(schema, -1).empty());
  CHECK(check(schema, 1.5).empty());
  CHECK(check(schema, 5) ==
        Lines{"(root): matches more than one of the allowed forms (alternatives 0 and 1), expected exactly one"});
  CHECK(check(json::parse(R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})"), true) ==
        Lines{"(root): expected an integer or a string, got boolean true"});
}

TEST_CASE("json schema: a oneOf keyed by a const property reports and fills the branch it names", "[scenario]") {
  // Items keyed by "type" (as the scenario's faults are): the branch whose const matches is the
  // one that applies, for its errors and for its defaults.
  const json schema = json::parse(R"({"$defs": {
      "a": {"type": "object", "additionalProperties": false, "required": ["type"],
            "properties": {"type": {"const": "a"}, "mode": {"enum": ["x", "y"], "default": "x"}}},
      "b": {"type": "object", "additionalProperties": false, "required": ["type"],
            "properties": {"type": {"const": "b"}, "n": {"type": "integer", "default": 3}}}},
    "type": "array", "items": {"oneOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}]}})");
  CHECK(check(schema, json::parse(R"([{"type": "a", "mode": "z"}, {"type": "b", "n": "many"}])")) ==
        Lines{"/0/mode: \"z\" is not one of \"x\", \"y\" (did you mean \"x\"?)", "/1/n: expected an integer, got string \"many\""});
  json doc = json::parse(R"([{"type": "a"}, {"type": "b"}, {"type": "c"}])");
  JsonSchema(schema).fill_defaults(doc);
  CHECK(doc == json::parse(R"([{"type": "a", "mode": "x"}, {"type": "b", "n": 3}, {"type": "c"}])"));
}

TEST_CASE("json schema: allOf applies every branch without repeating a message", "[scenario]") {
  const json schema = json::parse(R"({"allOf": [{"required": ["a"]}, {"required": ["a", "b"]}]})");
  CHECK(check(schema, json::object()) ==
        Lines{"(root): missing required property \"a\"", "(root): missing required property \"b\""});
  CHECK(check(schema, {{"a", 1}, {"b", 2}}).empty());
}

TEST_CASE("json schema: every error is reported at once, in document order", "[scenario]") {
  const json schema = json::parse(R"({"type": "object", "additionalProperties": false, "properties": {
      "a": {"type": "integer"},
      "b": {"type": "object", "properties": {"c": {"type": "string"}}},
      "d": {"type": "array", "items": {"type": "integer"}}}})");
  // Three mistakes, three diagnostics; keys in stored (sorted) order, depth first.
  CHECK(check(schema, {{"zz", 1}, {"b", {{"c", 2}}}, {"a", "s"}}) ==
        Lines{"/a: expected an integer, got string \"s\"", "/b/c: expected a string, got integer 2",
              "/zz: unknown property \"zz\" (expected one of: a, b, d)"});
  // Array elements in index order (10 after 2, not before as text would sort).
  json items = json::array();
  for (int i = 0; i < 11; ++i) items.push_back(i == 2 || i == 10 ? json("x") : json(i));
  CHECK(check(schema, {{"d", items}}) ==
        Lines{"/d/2: expected an integer, got string \"x\"", "/d/10: expected an integer, got string \"x\""});
}

TEST_CASE("json schema: did_you_mean picks the closest name within a third of its length", "[scenario]") {
  CHECK(did_you_mean("desird_count", {"name", "desired_count"}) == "desired_count");
  CHECK(did_you_mean("nmae", {"name", "target"}) == "name");  // one transposition
  CHECK(did_you_mean("FARGATE", {"lambda", "fargate"}) == "fargate");  // case-insensitive
  CHECK(did_you_mean("Fargat", {"lambda", "fargate"}) == "fargate");
  CHECK(did_you_mean("kubernetes", {"fargate", "ecs_ec2", "lambda", "app_runner"}).empty());
  CHECK(did_you_mean("ab", {"xy"}).empty());  // distance 2 > max(1, 2/3)
  CHECK(did_you_mean("ab", {"ac"}) == "ac");  // distance 1 is always allowed
  CHECK(did_you_mean("cat", {"bat", "cut"}) == "bat");  // ties go to the earlier candidate
  CHECK(did_you_mean("anything", {}).empty());
}

TEST_CASE("json schema: pointer_escape follows RFC 6901", "[scenario]") {
  CHECK(pointer_escape("a/b~c") == "a~1b~0c");
  CHECK(pointer_escape("~1") == "~01");
  CHECK(pointer_escape("plain") == "plain");
}

// ---- defaults ------------------------------------------------------------------------------

TEST_CASE("json schema: defaults fill nested objects, array items and references", "[scenario]") {
  const json schema = json::parse(R"({
    "$defs": {"task": {"type": "object", "default": {},
                       "properties": {"cpu": {"type": "integer", "default": 256}, "memory": {"default": 512}}},
              "region": {"enum": ["a", "b"], "default": "a"}},
    "properties": {
      "name": {"default": "unnamed"},
      "task": {"$ref": "#/$defs/task"},
      "region": {"$ref": "#/$defs/region", "default": "b"},
      "output": {"type": "object", "default": {},
                 "properties": {"event_log": {"default": true},
                                "inner": {"default": {}, "properties": {"deep": {"default": 1}}}}},
      "list": {"type": "array", "items": {"properties": {"x": {"default": 0}}}},
      "subnets": {"default": [{"name": "a"}, {"name": "b", "public": true}],
                  "items": {"properties": {"public": {"default": false}}}},
      "nodefault": {"type": "string"}
    }})");
  const json doc = filled(schema, json::parse(R"({"task": {"cpu": 1024}, "list": [{}, {"x": 5}, "not an object"]})"));
  CHECK(doc == json::parse(R"({
    "name": "unnamed",
    "task": {"cpu": 1024, "memory": 512},
    "region": "b",
    "output": {"event_log": true, "inner": {"deep": 1}},
    "list": [{"x": 0}, {"x": 5}, "not an object"],
    "subnets": [{"name": "a", "public": false}, {"name": "b", "public": true}]})"));
}

TEST_CASE("json schema: defaults never overwrite a present value, null included", "[scenario]") {
  const json schema = json::parse(
      R"({"properties": {"a": {"default": 1}, "b": {"default": {}, "properties": {"c": {"default": 2}}}}})");
  CHECK(filled(schema, {{"a", nullptr}, {"b", {{"c", "x"}}}}) == json::parse(R"({"a": null, "b": {"c": "x"}})"));
  CHECK(filled(schema, {{"a", 5}, {"b", nullptr}}) == json::parse(R"({"a": 5, "b": null})"));
}

TEST_CASE("json schema: defaults follow allOf and survive invalid or recursive input", "[scenario]") {
  CHECK(filled(json::parse(R"({"allOf": [{"properties": {"y": {"default": 2}}}]})"), json::object()) == json{{"y", 2}});
  const json schema = json::parse(R"({"properties": {"task": {"default": {}, "properties": {"cpu": {"default": 256}}},
                                                      "list": {"items": {"properties": {"x": {"default": 0}}}}}})");
  CHECK(filled(schema, "a string") == "a string");
  CHECK(filled(schema, {{"task", 5}, {"list", {{"x", 1}}}}) == json::parse(R"({"task": 5, "list": {"x": 1}})"));
  // A definition whose default nests itself forever is filled to a bounded depth.
  const json recursive = json::parse(R"({"$ref": "#/$defs/node",
      "$defs": {"node": {"default": {}, "properties": {"next": {"$ref": "#/$defs/node"}}}}})");
  CHECK(filled(recursive, json::object()).contains(json::json_pointer("/next/next/next")));
}

// ---- the schema itself ---------------------------------------------------------------------

TEST_CASE("json schema: the constructor rejects keywords outside the supported subset", "[scenario]") {
  CHECK_THROWS_WITH(JsonSchema(json::parse(R"({"patternProperties": {}})")),
                    Catch::Contains("unsupported keyword \"patternProperties\""));
  CHECK_THROWS_WITH(JsonSchema(json::parse(R"({"properties": {"a": {"format": "email"}}})")),
                    Catch::Contains("\"format\"") && Catch::Contains("#/properties/a"));
  CHECK_THROWS_WITH(JsonSchema(json::parse(R"({"minimun": 0})")), Catch::Contains("(did you mean \"minimum\"?)"));
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"items": [{"type": "string"}]})")), std::invalid_argument);
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"$ref": "other.json#/x"})")), std::invalid_argument);
  CHECK_THROWS_WITH(JsonSchema(json::parse(R"({"properties": {"p": {"$ref": "#/$defs/missing"}}})")),
                    Catch::Contains("unresolvable reference \"#/$defs/missing\"") && Catch::Contains("#/properties/p"));
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"$defs": {"a": {"enum": [1]}}, "$ref": "#/$defs/a/enum"})")),
                  std::invalid_argument);  // a reference to something that is not a schema
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"pattern": "("})")), std::invalid_argument);
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"type": "float"})")), std::invalid_argument);
  CHECK_THROWS_AS(JsonSchema(json::parse(R"({"minItems": -1})")), std::invalid_argument);
  CHECK_THROWS_WITH(
      JsonSchema(json::parse(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}})")),
      Catch::Contains("cycle"));
  // Property names and values inside default/enum/const are data, not keywords.
  CHECK_NOTHROW(JsonSchema(json::parse(R"({"properties": {"format": {"type": "string"}, "default": {}},
                                          "default": {"patternProperties": 1}, "enum": [{"format": 2}]})")));
}

TEST_CASE("json schema: the scenario schema fills a minimal scenario into a valid one", "[scenario]") {
  const JsonSchema schema = scenario_schema();
  json doc = minimal_scenario();
  schema.fill_defaults(doc);
  std::vector<Diagnostic> out;
  schema.validate(doc, out);
  CHECK(out.empty());
  CHECK(doc["duration"] == "1h");
  CHECK(doc["seed"] == 20201204);
  CHECK(doc["pricing"]["region"].is_null());
  CHECK(doc["services"][0]["platform"] == "fargate");
  CHECK(doc["services"][0]["task"]["cpu"] == 256);  // through $ref to a definition's default {}
  CHECK(doc["network"]["subnets"].size() == 3);
  CHECK(doc["network"]["subnets"][2]["public"] == false);  // into the items of a default array
  CHECK(doc["workloads"][0]["request"]["cpu_time"] == "exponential(mean=0.05)");
}

TEST_CASE("json schema: the scenario schema reports a misspelt key, a negative count and a bad duration together",
          "[scenario]") {
  const JsonSchema schema = scenario_schema();
  json doc = minimal_scenario();
  doc["duration"] = "5 minutes";
  doc["services"][0]["desired_count"] = -1;
  doc["services"][0]["platfrom"] = "lambda";
  schema.fill_defaults(doc);
  std::vector<Diagnostic> out;
  schema.validate(doc, out);
  CHECK(out == std::vector<Diagnostic>{
                   {"/duration", "\"5 minutes\" does not match the expected form: Seconds as a number, or a string "
                                 "with a unit: ms, s, m, h, d."},
                   {"/services/0/desired_count", "-1 is below the minimum 0"},
                   {"/services/0/platfrom", "unknown property \"platfrom\" (did you mean \"platform\"?)"}});
}

// ---- overrides -----------------------------------------------------------------------------

TEST_CASE("overrides: parse splits at the first '=' and reads the value as JSON or as text", "[scenario]") {
  const Override o = parse_override("/services/0/task/cpu=512");
  CHECK(o.path == "/services/0/task/cpu");
  CHECK(o.value == 512);
  CHECK(o.text == "/services/0/task/cpu=512");
  CHECK(parse_override("region=eu-west-1").value == "eu-west-1");
  CHECK(parse_override("duration=5m").value == "5m");
  CHECK(parse_override("name=\"5\"").value == "5");
  CHECK(parse_override("x=1.5").value == 1.5);
  CHECK(parse_override("x=true").value == true);
  CHECK(parse_override("x=null").value.is_null());
  CHECK(parse_override("x={\"a\": 1}").value == json{{"a", 1}});
  CHECK(parse_override("x=[1, 2]").value == json{1, 2});
  CHECK(parse_override("x=").value == "");
  CHECK(parse_override("x=0123").value == "0123");  // not JSON (leading zero), so text
  const Override eq = parse_override("description=a=b");
  CHECK(eq.path == "description");
  CHECK(eq.value == "a=b");
}

TEST_CASE("overrides: parse rejects a missing '=', an empty path and an empty component", "[scenario]") {
  CHECK_THROWS_WITH(parse_override("services.0.desired_count"), "expected path=value, e.g. services.0.desired_count=4");
  CHECK_THROWS_WITH(parse_override("=5"), "the path before '=' is empty");
  CHECK_THROWS_AS(parse_override("services..name=x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_override("/a~2=1"), std::invalid_argument);
}

TEST_CASE("overrides: pointer and dotted paths set the same value", "[scenario]") {
  std::vector<Diagnostic> out;
  json doc = kServices;
  CHECK(apply_override(doc, parse_override("/services/0/task/cpu=512"), out) == "/services/0/task/cpu");
  CHECK(apply_override(doc, parse_override("services.1.task.cpu=1024"), out) == "/services/1/task/cpu");
  CHECK(out.empty());
  CHECK(doc["services"][0]["task"]["cpu"] == 512);
  CHECK(doc["services"][1]["task"]["cpu"] == 1024);
  // Escaped pointer tokens; the returned pointer is escaped again.
  json plain = json::object();
  CHECK(apply_override(plain, parse_override("/a~1b/c~0d=1"), out) == "/a~1b/c~0d");
  CHECK(plain == json{{"a/b", {{"c~d", 1}}}});
}

TEST_CASE("overrides: a dotted path selects an array element by its name", "[scenario]") {
  std::vector<Diagnostic> out;
  json doc = kServices;
  CHECK(apply_override(doc, parse_override("services.api.task.cpu=2048"), out) == "/services/1/task/cpu");
  CHECK(out.empty());
  CHECK(doc["services"][1]["task"]["cpu"] == 2048);
  CHECK(doc["services"][0]["task"]["cpu"] == 256);
}

TEST_CASE("overrides: missing objects are created and arrays are appended to", "[scenario]") {
  std::vector<Diagnostic> out;
  json doc = kServices;
  CHECK(apply_override(doc, parse_override("output.metrics_interval=30s"), out) == "/output/metrics_interval");
  CHECK(apply_override(doc, parse_override("services.api.serving.concurrency=8"), out) ==
        "/services/1/serving/concurrency");
  CHECK(apply_override(doc, parse_override("services.2.name=db"), out) == "/services/2/name");  // index == size
  CHECK(apply_override(doc, parse_override("services.-={\"name\": \"q\"}"), out) == "/services/3");
  CHECK(apply_override(doc, parse_override("services.api.calls.-.service=db"), out) == "/services/1/calls/0/service");
  CHECK(out.empty());
  CHECK(doc["output"] == json{{"metrics_interval", "30s"}});
  CHECK(doc["services"][1]["serving"] == json{{"concurrency", 8}});
  CHECK(doc["services"][2] == json{{"name", "db"}});
  CHECK(doc["services"][3] == json{{"name", "q"}});
  CHECK(doc["services"][1]["calls"] == json::parse(R"([{"service": "db"}])"));
}

TEST_CASE("overrides: a path that cannot be followed is a diagnostic and changes nothing", "[scenario]") {
  const auto fails = [](const std::string& assignment) {
    std::vector<Diagnostic> out;
    json doc = kServices;
    CHECK(apply_override(doc, parse_override(assignment), out).empty());
    CHECK(doc == kServices);
    REQUIRE(out.size() == 1);
    return out[0];
  };
  CHECK(fails("services.apx.task.cpu=512") ==
        Diagnostic{"/services", "--set services.apx.task.cpu=512: no element of /services has name \"apx\" "
                                "(did you mean \"api\"?)"});
  CHECK(fails("services.7.name=x") ==
        Diagnostic{"/services", "--set services.7.name=x: index 7 is out of range (array has 2 elements)"});
  CHECK(fails("/services/api/task/cpu=1") ==  // names only in the dotted form
        Diagnostic{"/services",
                   "--set /services/api/task/cpu=1: \"api\" is not an array index (array has 2 elements)"});
  CHECK(fails("services.web.name.first=x") ==
        Diagnostic{"/services/0/name",
                   "--set services.web.name.first=x: /services/0/name is a string, so it has no member \"first\""});
  json twins = {{"services", {{{"name", "a"}}, {{"name", "a"}}}}};
  std::vector<Diagnostic> out;
  CHECK(apply_override(twins, parse_override("services.a.desired_count=1"), out).empty());
  REQUIRE(out.size() == 1);
  CHECK_THAT(out[0].message, Catch::Contains("2 elements of /services have name \"a\""));
}

TEST_CASE("overrides: an overridden value is validated like any other", "[scenario]") {
  const JsonSchema schema = scenario_schema();
  json doc = minimal_scenario();
  std::vector<Diagnostic> out;
  const std::string where = apply_override(doc, parse_override("services.api.desired_count=-2"), out);
  CHECK(apply_override(doc, parse_override("region=eu-west-1"), out) == "/region");
  schema.fill_defaults(doc);
  schema.validate(doc, out);
  CHECK(out == std::vector<Diagnostic>{{where, "-2 is below the minimum 0"}});
  CHECK(doc["region"] == "eu-west-1");
}

TEST_CASE("scenario schema: the committed scenario.schema.json is the core with every platform's part", "[scenario]") {
  // scenarios/schema/scenario.schema.json is generated (fargatelab schema > scenarios/schema/
  // scenario.schema.json) from scenario.core.schema.json and sim/src/platforms/*/*.schema.json.
  std::ifstream in(FARGATELAB_SOURCE_DIR "/scenarios/schema/scenario.schema.json");
  REQUIRE(in);
  const std::string committed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(committed == std::string(fargatelab::scenario_schema()));
  const json s = json::parse(fargatelab::scenario_schema());
  CHECK(s.at("$defs").at("service").at("properties").at("platform").at("enum") ==
        json::array({"fargate", "ecs_ec2", "lambda", "app_runner"}));
  for (const char* section : {"lambda", "app_runner", "ec2"}) CHECK(s.at("$defs").at("service").at("properties").contains(section));
  for (const char* section : {"fargate", "ec2"}) CHECK(s.at("properties").contains(section));
}
