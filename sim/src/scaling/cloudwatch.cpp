#include "scaling/cloudwatch.hpp"

#include <algorithm>
#include <stdexcept>

namespace fargatelab::detail {

CloudWatch::CloudWatch(Simulation& sim, MetricStore& store, CloudWatchSettings settings)
    : sim_(sim), store_(store), settings_(settings) {
  if (settings_.publication_delay < Duration::zero()) throw std::invalid_argument("the publication delay must be >= 0");
}

CloudWatch::~CloudWatch() {
  for (auto& p : periods_)
    if (p->timer.valid()) sim_.cancel_timer(p->timer);
}

void CloudWatch::add(const MetricKey& key, MetricUnit unit, std::unique_ptr<DatapointSource> source) {
  if (!source) throw std::invalid_argument("metric source for " + to_string(key) + " is null");
  if (key.period <= Duration::zero()) throw std::invalid_argument("the period of " + to_string(key) + " must be > 0");
  if (publishes(key)) throw std::logic_error(to_string(key) + " has a source already");
  auto p = std::find_if(periods_.begin(), periods_.end(), [&](const auto& e) { return e->period == key.period; });
  if (p == periods_.end()) {
    periods_.push_back(std::make_unique<Period>(Period{this, key.period, {}, {}}));
    p = periods_.end() - 1;
  }
  (*p)->metrics.push_back({&store_.series(key, unit), std::move(source)});
  metrics_.push_back(key);
}

bool CloudWatch::publishes(const MetricKey& key) const {
  return std::find(metrics_.begin(), metrics_.end(), key) != metrics_.end();
}

void CloudWatch::start() {
  for (auto& p : periods_) {
    const std::int64_t period = p->period.ns();
    const SimTime first = SimTime::from_ns((sim_.now().ns() / period + 1) * period);
    p->timer = sim_.every(p->period, bind<&Period::close>(p.get()), first, Priority::late);
  }
}

void CloudWatch::Period::close() {
  CloudWatch& cw = *owner;
  const SimTime end = cw.sim_.now();
  const SimTime start = end - period;
  const SimTime due = end + cw.settings_.publication_delay;
  bool queued = false;
  for (auto& m : metrics) {
    const std::optional<double> v = m.source->close(start, end);
    if (!v) continue;
    if (due == end) {
      cw.publish(*m.series, {start, *v});
    } else {
      cw.pending_.push_back({due, m.series, {start, *v}});
      queued = true;
    }
  }
  if (queued) cw.sim_.schedule_at(due, bind<&CloudWatch::publish_due>(&cw), Priority::urgent);
}

void CloudWatch::publish(MetricSeries& series, const Datapoint& d) {
  series.publish(d);
  ++published_count_;
  published.emit(series, d);
}

void CloudWatch::publish_due() {
  const SimTime now = sim_.now();
  while (!pending_.empty() && pending_.front().due <= now) {
    Pending p = pending_.front();
    pending_.pop_front();
    publish(*p.series, p.point);
  }
}

}  // namespace fargatelab::detail
