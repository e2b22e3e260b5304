// The zone-file target: one master file holding a whole pattern-A zone, rewritten
// atomically. Its one step is the file's new content; nothing settles after it.
#include "backends/file_target.hpp"

#include <sys/stat.h>

#include "backends/zonefile.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/render.hpp"

namespace zonegen {
namespace {

std::optional<std::uint32_t> zone_serial(const Zone& z) {
    if (const RRset* s = z.find(z.origin(), rrtype::SOA))
        if (auto soa = parse_soa(s->rrs.front().rdata)) return soa->serial;
    return std::nullopt;
}

class FileTarget final : public Target {
  public:
    FileTarget(std::string path, const ProvisionOptions& opts)
        : path_(std::move(path)), opts_(opts) {}

    std::string kind() const override { return "file"; }
    std::string server() const override { return path_; }
    std::string description() const override { return path_; }

    LiveZone load(const ZoneIntent& want) override { return read(want.zone); }

    std::vector<PlanStep> steps(const LiveZone& live, const ZoneIntent&,
                                const Plan& records) override {
        if (records.empty()) return {};
        PlanStep s;
        s.subject = "file";
        s.server = path_;
        s.writes_records = true;
        s.before = live.exists;
        s.after = true;
        s.text = (live.exists ? "~ file " : "+ file ") + path_ + ": " +
                 std::to_string(records.changes.size()) +
                 " rrset change(s) (listed below), the serial moved forward, written atomically";
        s.requests = {"write " + path_};
        return {s};
    }

    std::vector<std::string> settle_text(const ZoneIntent&) const override { return {}; }

    LiveZone check_plan(const Name& zone, Pattern, const std::vector<PlanStep>& steps) override {
        for (const auto& s : steps)
            if (s.subject != "file") throw InputError("plan file: unknown step " + s.subject);
        LiveZone live = read(zone);
        for (const auto& s : steps)
            if (s.before != json(live.exists))
                throw UnsafeError(std::string("the live zone changed since the plan was made (") +
                                  (live.exists ? "the file now exists" : "the file is gone") +
                                  "): nothing was applied; make a new plan and review it");
        return live;
    }

    void run(const Name& zone, const PlanStep&, const Plan& records) override {
        LiveZone live = read(zone);
        Zone next = live.records;
        for (const auto& c : records.changes) {
            if (c.action == Action::remove)
                next.erase(c.owner, c.type);
            else if (c.after)
                next.set(c.owner, c.type, c.after->ttl, c.after->rdata);
        }
        // The serial moves forward only when the content changes, and never backwards.
        if (const RRset* s = next.find(zone, rrtype::SOA)) {
            if (auto soa = parse_soa(s->rrs.front().rdata)) {
                std::uint32_t want = opts_.serial ? *opts_.serial : date_serial(generation_time());
                if (live.serial && want <= *live.serial) want = *live.serial + 1;
                soa->serial = want;
                next.set(zone, rrtype::SOA, s->ttl(), {soa_wire(*soa)});
            }
        }
        ZoneTextOptions zo;
        zo.header.push_back("zonegen: pattern A zone, applied to this file");
        write_file_atomic(path_, zone_text(next, zo));
        if (opts_.trace) opts_.trace("wrote " + path_);
    }

    PlanStep restore_step(const Name& zone, const std::string& subject, const nlohmann::json&,
                          const nlohmann::json&, const Plan& records) override {
        if (subject != "records" && subject != "file")
            throw InputError("journal: the step " + subject + " cannot be rolled back");
        LiveZone live = read(zone);
        return steps(live, ZoneIntent{}, records).at(0);
    }

    Zone reload(const Name& zone) override { return read(zone).records; }

    SettleReport settle(const Name& zone, Pattern, bool, const std::vector<PlanStep>&) override {
        SettleReport r;
        r.serial_after = read(zone).serial;
        return r;
    }

  private:
    using json = nlohmann::json;

    LiveZone read(const Name& zone) const {
        LiveZone live;
        live.records = Zone(zone);
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0) return live;
        // A file of another zone (its leading $ORIGIN or its SOA) is never rewritten under
        // this one's origin: refused, exit 2, as every command refuses it.
        ReadOptions ro;
        ro.origin = zone;
        ro.refuse_other_origin = true;
        ReadResult r = read_zone_file(path_, ro);
        if (count_errors(r.findings)) {
            for (auto& f : r.findings)
                if (f.file.empty()) f.file = path_;
            throw InvalidZoneError(
                path_ + " does not parse; fix it or move it away before applying", r.findings);
        }
        live.exists = true;
        live.role = Role::primary;
        live.records = std::move(r.zone);
        live.rrsets = live.records.rrsets().size();
        live.serial = zone_serial(live.records);
        return live;
    }

    std::string path_;
    ProvisionOptions opts_;
};

}  // namespace

std::unique_ptr<Target> make_file_target(const std::string& path, const ProvisionOptions& opts) {
    return std::make_unique<FileTarget>(path, opts);
}

}  // namespace zonegen
