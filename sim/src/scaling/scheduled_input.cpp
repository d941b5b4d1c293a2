// Scheduled actions from the short form and from put-scheduled-action JSON (scheduled_input.hpp).
#include "scaling/scheduled_input.hpp"

#include <functional>
#include <stdexcept>

#include <fmt/format.h>

#include "scaling/aws_json.hpp"

namespace fargatelab::detail {

namespace {

using nlohmann::json;

// The fields of a scheduled action before the checks both forms share.
// A field given with the wrong type is absent here (the schema has reported it), and
// `capacity_given` says whether MinCapacity or MaxCapacity was given at all.
struct ActionFields {
  std::string name;
  std::optional<std::string> schedule;
  std::string timezone = "UTC";
  std::optional<std::string> start_time, end_time;
  std::optional<std::int64_t> min_capacity, max_capacity;
  bool capacity_given = false;
};
enum class Field { name, schedule, timezone, start_time, end_time, capacity };
using Report = std::function<void(Field, std::string)>;

// The checks beyond types and ranges: the schedule's syntax, the zone, the instants and the
// capacities' consistency. Reports each problem through `report`; nullopt if any.
std::optional<ScheduledActionSpec> make_action(const ActionFields& f, const Report& report) {
  bool ok = true;
  auto fail = [&](Field field, std::string message) {
    ok = false;
    report(field, std::move(message));
  };
  ScheduledActionSpec a;
  a.name = f.name;
  try {
    if (f.schedule) a.schedule = ActionSchedule::parse(*f.schedule);
  } catch (const std::invalid_argument& e) {
    fail(Field::schedule, e.what());
  }
  if (auto zone = TimeZone::find(f.timezone)) {
    a.timezone = *zone;
  } else {
    const std::string guess = did_you_mean(f.timezone, TimeZone::names());
    fail(Field::timezone, fmt::format("unknown time zone \"{}\" ({})", f.timezone,
                                      guess.empty() ? "expected an IANA name such as America/New_York, Europe/Paris or "
                                                      "Etc/GMT+5; the zones known are listed in sim/src/scaling/time_zone.cpp"
                                                    : fmt::format("did you mean \"{}\"?", guess)));
  }
  auto instant = [&](const std::optional<std::string>& text, Field field) -> std::optional<std::int64_t> {
    if (!text) return std::nullopt;
    try {
      return parse_instant(*text);
    } catch (const std::invalid_argument& e) {
      fail(field, e.what());
      return std::nullopt;
    }
  };
  a.start_time = instant(f.start_time, Field::start_time);
  a.end_time = instant(f.end_time, Field::end_time);
  if (a.start_time && a.end_time && *a.end_time <= *a.start_time)
    fail(Field::end_time, fmt::format("the end time {} is not after the start time {}", *f.end_time, *f.start_time));
  if (!f.capacity_given)
    fail(Field::capacity, "set MinCapacity, MaxCapacity or both: an action with neither changes nothing");
  if (f.min_capacity && f.max_capacity && *f.min_capacity > *f.max_capacity)
    fail(Field::capacity, fmt::format("MinCapacity {} is greater than MaxCapacity {}", *f.min_capacity, *f.max_capacity));
  if (f.min_capacity) a.min_capacity = static_cast<int>(*f.min_capacity);
  if (f.max_capacity) a.max_capacity = static_cast<int>(*f.max_capacity);
  if (!ok || !f.schedule) return std::nullopt;
  return a;
}

// put-scheduled-action input (AAS API reference, PutScheduledAction; lengths and patterns from
// its request parameters). The scenario's service is the target, so only the name and the
// schedule are required here.
const JsonSchema& put_scheduled_action_schema() {
  static const JsonSchema schema(json::parse(R"({
    "type": "object",
    "required": ["ScheduledActionName", "Schedule"],
    "additionalProperties": false,
    "properties": {
      "ServiceNamespace": {"enum": ["ecs", "lambda"], "description": "the scalable target's service"},
      "ScheduledActionName": {"type": "string", "minLength": 1, "maxLength": 256, "pattern": "^[^:/|]+$",
                              "description": "1 to 256 characters, no ':', '/' or '|'"},
      "ResourceId": {"type": "string", "pattern": "^(service/[^/]+/[^/]+|function:[^:]+:[^:]+)$",
                     "description": "service/<cluster>/<service> or function:<name>:<alias>"},
      "ScalableDimension": {"enum": ["ecs:service:DesiredCount", "lambda:function:ProvisionedConcurrency"]},
      "Schedule": {"type": "string", "minLength": 1, "maxLength": 1600},
      "Timezone": {"type": "string", "minLength": 1, "maxLength": 1600},
      "StartTime": {"type": "string", "description": "a UTC instant, 2026-01-05T00:00:00Z"},
      "EndTime": {"type": "string", "description": "a UTC instant, 2026-01-05T00:00:00Z"},
      "ScalableTargetAction": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "MinCapacity": {"type": "integer", "minimum": 0, "maximum": 2147483647},
          "MaxCapacity": {"type": "integer", "minimum": 0, "maximum": 2147483647}
        }
      }
    }
  })"));
  return schema;
}

std::optional<ScheduledActionSpec> from_aws_json(const json& doc, const std::string& pointer, std::vector<Diagnostic>& out) {
  // The schema's problems and the semantic ones are all reported: the semantic checks read only
  // the fields of the right type.
  const bool schema_ok = validate_aws_document(put_scheduled_action_schema(), doc, pointer, out);
  if (!doc.is_object()) return std::nullopt;
  auto str = [&](const json& j, const char* key) -> std::optional<std::string> {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? std::optional<std::string>(it->get<std::string>()) : std::nullopt;
  };
  auto capacity = [](const json& j, const char* key) -> std::optional<std::int64_t> {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) return std::nullopt;
    return it->get<std::int64_t>();
  };
  ActionFields f;
  f.name = str(doc, "ScheduledActionName").value_or("");
  f.schedule = str(doc, "Schedule");
  if (const auto zone = str(doc, "Timezone")) f.timezone = *zone;
  f.start_time = str(doc, "StartTime");
  f.end_time = str(doc, "EndTime");
  const auto action = doc.find("ScalableTargetAction");
  if (action != doc.end() && action->is_object()) {
    f.min_capacity = capacity(*action, "MinCapacity");
    f.max_capacity = capacity(*action, "MaxCapacity");
    f.capacity_given = action->contains("MinCapacity") || action->contains("MaxCapacity");
  }
  auto field_pointer = [&](Field field) -> std::string {
    switch (field) {
      case Field::name: return member_pointer(pointer, "ScheduledActionName");
      case Field::schedule: return member_pointer(pointer, "Schedule");
      case Field::timezone: return member_pointer(pointer, "Timezone");
      case Field::start_time: return member_pointer(pointer, "StartTime");
      case Field::end_time: return member_pointer(pointer, "EndTime");
      case Field::capacity: return member_pointer(pointer, "ScalableTargetAction");
    }
    return pointer;
  };
  auto spec = make_action(f, [&](Field field, std::string m) { out.push_back({field_pointer(field), std::move(m)}); });
  if (!schema_ok || !spec) return std::nullopt;
  spec->resource_id = str(doc, "ResourceId").value_or("");
  spec->scalable_dimension = str(doc, "ScalableDimension").value_or("");
  return spec;
}

Registry<ScheduledActionSpec> make_registry() {
  Registry<ScheduledActionSpec> r("scheduled action");
  r.add({"scheduled_action",
         "AAS PutScheduledAction: sets min and/or max capacity at the times of an at(), rate() or cron() schedule",
         {{"name", ParamType::string, true, nullptr, {}, {}, false, "ScheduledActionName"},
          {"schedule", ParamType::string, true, nullptr, {}, {}, false,
           "at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(Minutes Hours Day-of-month Month Day-of-week Year)"},
          {"timezone", ParamType::string, false, "UTC", {}, {}, false, "IANA time zone of at() and cron()"},
          {"start", ParamType::string, false, nullptr, {}, {}, false, "StartTime, a UTC instant 2026-01-05T00:00:00Z"},
          {"end", ParamType::string, false, nullptr, {}, {}, false, "EndTime, a UTC instant"},
          {"min", ParamType::integer, false, nullptr, 0.0, {}, false, "MinCapacity set at each run"},
          {"max", ParamType::integer, false, nullptr, 0.0, {}, false, "MaxCapacity set at each run"}}},
        [](const Params& p, Problems& problems) {
          ActionFields f;
          f.name = p.string("name");
          f.schedule = p.string("schedule");
          f.timezone = p.string("timezone");
          if (p.has("start")) f.start_time = p.string("start");
          if (p.has("end")) f.end_time = p.string("end");
          if (p.has("min")) f.min_capacity = p.integer("min");
          if (p.has("max")) f.max_capacity = p.integer("max");
          f.capacity_given = f.min_capacity || f.max_capacity;
          auto param = [](Field field) -> const char* {
            switch (field) {
              case Field::name: return "name";
              case Field::schedule: return "schedule";
              case Field::timezone: return "timezone";
              case Field::start_time: return "start";
              case Field::end_time: return "end";
              case Field::capacity: return "min/max";
            }
            return "";
          };
          return make_action(f, [&](Field field, std::string m) { problems.push_back(fmt::format("{}: {}", param(field), m)); });
        });
  return r;
}

}  // namespace

std::int64_t parse_instant(std::string_view text) {
  const std::string expected = fmt::format(
      "expected a UTC instant such as 2026-01-05T09:00:00Z (or with an offset, 2026-01-05T10:00:00+01:00), got \"{}\"", text);
  try {
    if (text.ends_with("Z")) return parse_utc_timestamp(text);
    if (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') && text[text.size() - 3] == ':') {
      const std::string_view off = text.substr(text.size() - 5);
      if (!std::isdigit(static_cast<unsigned char>(off[0])) || !std::isdigit(static_cast<unsigned char>(off[1])) ||
          !std::isdigit(static_cast<unsigned char>(off[3])) || !std::isdigit(static_cast<unsigned char>(off[4])))
        throw std::invalid_argument(expected);
      const int hh = (off[0] - '0') * 10 + (off[1] - '0'), mm = (off[3] - '0') * 10 + (off[4] - '0');
      if (hh > 23 || mm > 59) throw std::invalid_argument(expected);
      const std::int64_t offset = (hh * 3600 + mm * 60) * (text[text.size() - 6] == '-' ? -1 : 1);
      return parse_utc_timestamp(std::string(text.substr(0, text.size() - 6)) + "Z") - offset;
    }
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(expected);
  }
  throw std::invalid_argument(expected);
}

const Registry<ScheduledActionSpec>& scheduled_action_registry() {
  static const Registry<ScheduledActionSpec> r = make_registry();
  return r;
}

std::optional<ScheduledActionSpec> build_scheduled_action(const json& item, const std::string& pointer,
                                                          std::vector<Diagnostic>& out) {
  if (item.is_object() && (item.contains("ScheduledActionName") || item.contains("Schedule")))
    return from_aws_json(item, pointer, out);
  if (!item.is_string() && !item.is_object()) {
    out.push_back({pointer, "expected a scheduled_action(...) call or a put-scheduled-action JSON object"});
    return std::nullopt;
  }
  try {
    return scheduled_action_registry().build(model_call_from_json(item), pointer, out);
  } catch (const std::invalid_argument& e) {
    out.push_back({pointer, e.what()});
    return std::nullopt;
  }
}

}  // namespace fargatelab::detail
