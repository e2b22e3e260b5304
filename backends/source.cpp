#include "backends/source.hpp"

#include "backends/pdns.hpp"
#include "backends/zonefile.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/tenancy.hpp"

namespace zonegen {

namespace {

LoadedZone load_file(const std::string& path, const SourceOptions& opts) {
    ReadOptions ro;
    ro.origin = opts.origin;
    ro.fallback = opts.fallback_origin;
    ro.refuse_other_origin = true;
    ro.allow_include_dir = opts.allow_include;
    if (opts.trace) opts.trace("reading " + path);
    ReadResult r = read_zone_file(path, ro);
    return {std::move(r.zone), std::move(r.findings)};
}

LoadedZone load_pdns(const Location& where, const SourceOptions& opts) {
    Name zone;
    if (where.zone)
        zone = *where.zone;
    else if (opts.origin || opts.fallback_origin)
        zone = opts.origin ? *opts.origin : *opts.fallback_origin;
    else
        throw UsageError("'pdns:' needs a zone: pdns:ZONE, --origin, or a spec");
    if (opts.control_panel && !opts.account)
        throw InputError("'" + where.text +
                         "': the control panel's mode (control_panel: true) reads a zone "
                         "of our PowerDNS only for an account (the spec's account, or "
                         "--account)");
    PdnsConfig c;
    c.url = opts.pdns_url;
    c.server_id = opts.pdns_server_id;
    c.api_key = read_api_key(opts.api_key_file);
    c.trace = opts.trace;
    PdnsClient client(c);
    auto doc = client.get_zone(zone);
    if (!doc)
        throw BackendError("PowerDNS at " + opts.pdns_url + " has no zone " + zone.to_string());
    check_account(zone, zone_account(*doc), opts.account, opts.control_panel);
    LoadedZone out{Zone(zone), {}};
    out.zone = zone_from_pdns(zone, *doc, &out.findings);
    return out;
}

LoadedZone load_axfr(const Location& where, const SourceOptions& opts) {
    AxfrSource a;
    a.host = where.host;
    a.port = where.port;
    a.zone = *where.zone;
    AxfrLimits limits{opts.timeout_s, opts.max_records, opts.max_bytes, false};
    if (opts.customer_networks) {
        a.address = opts.customer_networks->resolve_checked(a.host, a.port, opts.customer_key);
        limits.uniform_failure = true;
    }
    return {axfr_zone(a, opts.tsig, limits, opts.trace), {}};
}

}  // namespace

LoadedZone load_zone_source(const std::string& source, const SourceOptions& opts) {
    const Location where = Location::parse(source);
    switch (where.kind) {
        case LocationKind::file:
            return load_file(source, opts);
        case LocationKind::pdns:
            return load_pdns(where, opts);
        case LocationKind::axfr:
            return load_axfr(where, opts);
    }
    throw UsageError("unknown source " + source);
}

}  // namespace zonegen
