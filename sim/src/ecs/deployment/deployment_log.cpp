#include "ecs/deployment/deployment_log.hpp"

namespace fargatelab::detail {

DeploymentLog::DeploymentLog(const ScenarioSpec& spec, const std::vector<ServiceScheduler*>& schedulers, int replication,
                             RunResult& result)
    : spec_(spec), replication_(replication), result_(result), counts_(spec.services.size()) {
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    if (spec.output.event_log)
      schedulers[i]->service_event.connect([this, i](const ServiceScheduler::ServiceEvent& e) {
        result_.events.push_back({result_.next_seq++, replication_, e.at.to_seconds(), "service", spec_.services[i].name,
                                  {{"event", e.kind}, {"message", e.message}}});
      });
    if (!spec.services[i].deployments) continue;
    counts_[i].followed = true;
    schedulers[i]->deployment_event.connect([this, i](const ServiceScheduler::DeploymentEvent& e) { on_event(i, e); });
  }
}

void DeploymentLog::on_event(std::size_t service, const ServiceScheduler::DeploymentEvent& e) {
  Counts& c = counts_[service];
  const double t = e.at.to_seconds();
  if (e.kind == "deployment_started" || e.kind == "rollback_started") {
    (e.kind == "rollback_started" ? c.rollbacks : c.started) += 1;
    c.started_at = t;
  } else if (e.kind == "deployment_completed") {
    ++c.completed;
    c.last_completed = t;
    c.last_duration = t - c.started_at;
  } else if (e.kind == "deployment_failed") {
    ++c.failed;
    c.failed_tasks += e.failed_tasks;
  }
  if (!spec_.output.event_log) return;
  nlohmann::json fields = {{"event", e.kind},
                           {"deployment", e.deployment},
                           {"revision", e.revision == 0 ? std::string("initial")
                                                        : spec_.services[service].deployments->revisions[e.revision - 1].name},
                           {"failed_tasks", e.failed_tasks},
                           {"threshold", e.threshold},
                           {"served_revision", e.served_revision},
                           {"served_total", e.served_total},
                           {"message", e.message}};
  if (!e.stage.empty()) {
    fields["stage"] = e.stage;
    fields["green_percent"] = e.green_percent;
  }
  result_.events.push_back({result_.next_seq++, replication_, t, "deployment", spec_.services[service].name, std::move(fields)});
}

void DeploymentLog::report_service(std::size_t i, ServiceResults& service) const {
  const Counts& c = counts_[i];
  if (!c.followed) return;
  DeploymentResults r;
  r.started = c.started;
  r.completed = c.completed;
  r.failed = c.failed;
  r.rollbacks = c.rollbacks;
  r.failed_tasks = c.failed_tasks;
  if (c.last_completed >= 0) {
    r.last_completed_s = Number(c.last_completed);
    r.last_duration_s = Number(c.last_duration);
  }
  service.deployments = r;
}

}  // namespace fargatelab::detail
