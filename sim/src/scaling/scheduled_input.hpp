// The two input forms of a scheduled action, checked the same way:
//
//  * the short form, registered as "scheduled_action" in scheduled_action_registry():
//      scheduled_action(name=morning, schedule="cron(0 8 ? * MON-FRI *)", timezone="Europe/Paris", min=4, max=20)
//    parameters name, schedule, timezone (default UTC), start and end (UTC instants
//    "2026-01-05T00:00:00Z" or with an offset "+01:00"), min and max (at least one);
//  * the JSON that `aws application-autoscaling put-scheduled-action --cli-input-json` takes:
//      {"ServiceNamespace": "ecs", "ScheduledActionName": "morning",
//       "ResourceId": "service/default/api", "ScalableDimension": "ecs:service:DesiredCount",
//       "Schedule": "cron(0 8 ? * MON-FRI *)", "Timezone": "Europe/Paris",
//       "StartTime": "2026-01-05T00:00:00Z", "EndTime": "2026-02-01T00:00:00Z",
//       "ScalableTargetAction": {"MinCapacity": 4, "MaxCapacity": 20}}
//    Required: ScheduledActionName and Schedule (the scenario's service names the target, so
//    ServiceNamespace, ResourceId and ScalableDimension may be left out; when given they must be
//    an ECS service's or a Lambda function's). Unknown fields are errors, as the CLI rejects them.
// Every problem is reported at once, each at its JSON pointer, with what was expected.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/registry.hpp"
#include "scaling/scheduled_actions.hpp"

namespace fargatelab::detail {

// A scheduled action from `item`: a short-form string or call object ({"model":
// "scheduled_action", ...}), or a put-scheduled-action JSON object (told apart by its
// "ScheduledActionName" or "Schedule" member). Problems go to `out` at `pointer` (short form) or
// at `pointer` + the field's pointer (JSON: "/ScalableTargetAction/MinCapacity"); nullopt if any.
std::optional<ScheduledActionSpec> build_scheduled_action(const nlohmann::json& item, const std::string& pointer,
                                                          std::vector<Diagnostic>& out);

// The short form's registry (one entry, "scheduled_action"), for listings and the scenario check.
const Registry<ScheduledActionSpec>& scheduled_action_registry();

// "2026-01-05T09:00:00Z" or "2026-01-05T10:00:00+01:00" -> Unix seconds. Throws
// std::invalid_argument saying what was expected.
std::int64_t parse_instant(std::string_view text);

}  // namespace fargatelab::detail
