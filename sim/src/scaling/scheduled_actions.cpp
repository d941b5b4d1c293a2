// Scheduled scaling: schedules in a time zone, and the runs on a scalable target (rules in
// scheduled_actions.hpp).
#include "scaling/scheduled_actions.hpp"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

ActionSchedule ActionSchedule::parse(std::string_view text) {
  const std::string_view t = trim(text);
  ActionSchedule s;
  s.text_ = std::string(t);
  if (t.starts_with("at(")) {
    if (!t.ends_with(")")) throw std::invalid_argument("at(...) needs its closing parenthesis");
    const std::string_view inner = t.substr(3, t.size() - 4);
    try {
      // The date and time is a local wall time in the action's Timezone, without an offset.
      s.at_local_ = parse_utc_timestamp(std::string(inner) + "Z");
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument(fmt::format("at() takes a date and time yyyy-mm-ddThh:mm:ss, got \"{}\"", inner));
    }
    s.kind_ = Kind::at;
    return s;
  }
  if (!t.starts_with("rate(") && !t.starts_with("cron("))
    throw std::invalid_argument(fmt::format("expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields), got \"{}\"", t));
  s.expression_ = ScheduleExpression::parse(t);
  s.kind_ = s.expression_->kind() == ScheduleExpression::Kind::rate ? Kind::rate : Kind::cron;
  return s;
}

std::optional<std::int64_t> ActionSchedule::next_after(std::int64_t after, const TimeZone& zone,
                                                       std::int64_t anchor) const {
  switch (kind_) {
    case Kind::at: {
      const std::int64_t t = zone.to_utc(at_local_);
      return t > after ? std::optional<std::int64_t>(t) : std::nullopt;
    }
    case Kind::rate: return expression_->next_after(after, anchor);
    case Kind::cron: {
      // Walk the cron's matches in local wall time until one maps to a UTC instant after
      // `after`: a repeated local hour maps back to its first occurrence, already past.
      std::int64_t local = zone.to_local(after);
      for (;;) {
        const auto next = expression_->next_after(local, local);
        if (!next) return std::nullopt;
        const std::int64_t t = zone.to_utc(*next);
        if (t > after) return t;
        local = *next;
      }
    }
  }
  return std::nullopt;
}

ScheduledScaling::ScheduledScaling(Simulation& sim, ScalableTarget& target, std::int64_t start_unix_seconds)
    : sim_(sim), target_(target), start_unix_(start_unix_seconds) {}

ScheduledScaling::~ScheduledScaling() { stop(); }

void ScheduledScaling::add(ScheduledActionSpec action) {
  actions_.push_back(std::move(action));
  pending_.emplace_back();
}

void ScheduledScaling::start() {
  stop();
  const std::int64_t now_unix = start_unix_ + static_cast<std::int64_t>(sim_.now().ns() / 1'000'000'000);
  // "At or after now": a run due exactly now happens (the actions exist before the run).
  for (std::size_t i = 0; i < actions_.size(); ++i) schedule_next(i, now_unix - 1);
}

void ScheduledScaling::stop() noexcept {
  for (EventId& id : pending_) {
    if (id.valid()) sim_.cancel(id);
    id = {};
  }
}

void ScheduledScaling::schedule_next(std::size_t index, std::int64_t after_unix) {
  const ScheduledActionSpec& a = actions_[index];
  pending_[index] = {};
  // rate() counts from StartTime, or from the simulation's start.
  const std::int64_t anchor = a.start_time.value_or(start_unix_);
  std::optional<std::int64_t> next = a.schedule.next_after(after_unix, a.timezone, anchor);
  // Skip runs before StartTime: the first run is the first at or after it.
  if (next && a.start_time && *next < *a.start_time)
    next = a.schedule.next_after(*a.start_time - 1, a.timezone, anchor);
  if (!next || (a.end_time && *next > *a.end_time)) return;
  pending_[index] = sim_.schedule_at(seconds(*next - start_unix_), bind<&ScheduledScaling::fire>(this, index));
}

void ScheduledScaling::fire(std::uint64_t index) {
  const std::size_t i = static_cast<std::size_t>(index);
  const std::int64_t now_unix = start_unix_ + static_cast<std::int64_t>(sim_.now().ns() / 1'000'000'000);
  if (target_.suspended().scheduled_scaling) {
    ++skipped_;
  } else {
    ++runs_;
    const ScheduledActionRun run = apply(actions_[i]);
    ran.emit(run);
    if (run.from != run.to) scaled.emit(run.activity());
  }
  schedule_next(i, now_unix);
}

ScheduledActionRun ScheduledScaling::apply(const ScheduledActionSpec& a) {
  ScheduledActionRun run;
  run.at = sim_.now();
  run.action = a.name;
  run.cause = fmt::format("scheduled action name {} was triggered", a.name);
  run.limits_before = run.limits_after = target_.limits();
  run.from = run.to = target_.desired_capacity();
  if (a.min_capacity && a.max_capacity)
    run.description = fmt::format("Setting min capacity to {} and max capacity to {}", *a.min_capacity, *a.max_capacity);
  else if (a.min_capacity)
    run.description = fmt::format("Setting min capacity to {}", *a.min_capacity);
  else
    run.description = fmt::format("Setting max capacity to {}", *a.max_capacity);

  const CapacityLimits next{a.min_capacity.value_or(run.limits_before.min), a.max_capacity.value_or(run.limits_before.max)};
  if (next.min > next.max) {
    run.successful = false;
    run.status_message = fmt::format("the minimum capacity {} would be greater than the maximum capacity {}", next.min, next.max);
    return run;
  }
  target_.set_limits(next);
  run.limits_after = next;
  // Below the new minimum: scale out to it; above the new maximum: scale in to it.
  if (run.from < next.min || run.from > next.max) run.to = target_.set_desired_capacity(run.from);
  return run;
}

}  // namespace fargatelab::detail
