#include "zonegen/domain_control.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::string names_text(const std::vector<Name>& v) {
    std::vector<std::string> s;
    for (const auto& n : v) s.push_back(n.to_string());
    return joined(s);
}

Finding unknown_on_creation(const ParentDelegation& d) {
    Finding f;
    f.check = "delegation-unknown";
    f.severity = Severity::warning;
    f.owner = d.zone.to_string();
    f.message = "the parent could not be asked how it delegates " + d.zone.to_string() + " (" +
                d.why +
                "): if it already delegates it to our servers (a former customer's leftover), "
                "whoever creates the zone takes the domain over; check that this customer "
                "controls the domain";
    return f;
}

}  // namespace

const char* to_string(ZoneChange c) {
    return c == ZoneChange::create ? "create" : "delete";
}

DomainControl judge_domain_control(ZoneChange change, const ParentDelegation& parent,
                                   const std::vector<ProviderNs>& ours) {
    DomainControl d;
    d.change = change;
    d.parent = parent;
    d.match = match_delegation(parent, ours);
    const std::string zone = parent.zone.to_string();
    const bool to_us = d.match.verdict == DelegationVerdict::ours;
    const bool unknown = d.match.verdict == DelegationVerdict::unknown;
    if (change == ZoneChange::remove && to_us)
        d.unsafe = "the parent still delegates " + zone + " to our servers (" +
                   joined(d.match.ours) +
                   "): deleting it would leave a dangling delegation anyone on our shared "
                   "servers could claim; change the name servers at the registrar first";
    else if (change == ZoneChange::remove && unknown)
        d.unsafe = "the plan deletes the zone " + zone +
                   ", and the parent could not be asked whether it still delegates it to our "
                   "servers (" +
                   parent.why +
                   "): it cannot be shown safe; check the delegation first (--parent-server "
                   "names the parent's servers)";
    else if (change == ZoneChange::create && to_us)
        d.unsafe = "the parent already delegates " + zone + " to our servers (" +
                   joined(d.match.ours) +
                   ") while no zone for it exists on them: a former customer may have left the "
                   "delegation behind, and whoever creates the zone on our shared servers takes "
                   "the domain over; check that this customer controls the domain first";
    else if (change == ZoneChange::create && unknown)
        d.finding = unknown_on_creation(parent);
    return d;
}

std::optional<ZoneChange> zone_change(bool file_target, bool exists, bool deletes,
                                      Pattern pattern) {
    if (file_target) return std::nullopt;
    if (deletes) return ZoneChange::remove;
    if (!exists && pattern != Pattern::C) return ZoneChange::create;
    return std::nullopt;
}

DomainControl check_domain_control(const Name& zone, ZoneChange change, const Profile& profile,
                                   const std::vector<Endpoint>& parent_servers,
                                   const std::function<void(const std::string&)>& trace) {
    ParentQueryOptions o;
    o.servers = parent_servers.empty() ? profile.parent_servers : parent_servers;
    o.trace = trace;
    return judge_domain_control(change, parent_delegation(zone, o), profile.nameservers);
}

json domain_control_json(const DomainControl& d) {
    const ParentDelegation& p = d.parent;
    auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json ns = json::array(), addrs = json::object();
    for (const auto& n : p.ns) ns.push_back(n.to_string());
    for (const auto& [n, a] : p.addresses) addrs[n.to_string()] = a;
    return {{"change", to_string(d.change)},
            {"via", p.via_resolver ? "resolver" : "parent_servers"},
            {"parent", p.parent ? json(p.parent->to_string()) : json(nullptr)},
            {"asked", p.asked},
            {"answered", p.answered},
            {"answered_by", or_null(p.answered_by)},
            {"why", or_null(p.why)},
            {"authoritative", p.authoritative},
            {"ns", ns},
            {"addresses", addrs},
            {"verdict", to_string(d.match.verdict)},
            {"ours", d.match.ours}};
}

DomainControl domain_control_from_json(const json& j, const Name& zone) {
    DomainControl d;
    d.parent.zone = zone;
    auto str = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    d.change =
        j.at("change").get<std::string>() == "delete" ? ZoneChange::remove : ZoneChange::create;
    ParentDelegation& p = d.parent;
    p.via_resolver = j.at("via").get<std::string>() == "resolver";
    if (j.at("parent").is_string()) p.parent = Name::parse(j["parent"].get<std::string>());
    p.asked = j.at("asked").get<std::vector<std::string>>();
    p.answered = j.at("answered").get<bool>();
    p.answered_by = str(j.at("answered_by"));
    p.why = str(j.at("why"));
    p.authoritative = j.at("authoritative").get<bool>();
    for (const auto& n : j.at("ns")) p.ns.push_back(Name::parse(n.get<std::string>()));
    for (const auto& [n, a] : j.at("addresses").items())
        p.addresses[Name::parse(n)] = a.get<std::vector<std::string>>();
    std::string v = j.at("verdict").get<std::string>();
    for (auto x : {DelegationVerdict::ours, DelegationVerdict::elsewhere, DelegationVerdict::none,
                   DelegationVerdict::unknown})
        if (v == to_string(x)) d.match.verdict = x;
    d.match.ours = j.at("ours").get<std::vector<std::string>>();
    return d;
}

std::string domain_control_text(const DomainControl& d) {
    const ParentDelegation& p = d.parent;
    if (!p.answered)
        return "delegation: the parent could not be asked" +
               std::string(p.via_resolver ? " (its servers from the system resolver)" : "") + ": " +
               p.why + "\n";
    std::string head = "delegation: the parent (answered by " + p.answered_by +
                       (p.via_resolver ? ", found through the system resolver" : "") + ") ";
    std::string zone = p.zone.to_string();
    switch (d.match.verdict) {
        case DelegationVerdict::ours:
            return head + "delegates " + zone + " to " + names_text(p.ns) + ": our servers\n";
        case DelegationVerdict::elsewhere:
            return head + "delegates " + zone + " to " + names_text(p.ns) + ": not ours\n";
        default:
            return head + "does not delegate " + zone + "\n";
    }
}

}  // namespace zonegen
