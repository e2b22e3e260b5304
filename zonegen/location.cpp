#include "zonegen/location.hpp"

#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

// The zone of pdns:ZONE and axfr://HOST/ZONE.
Name zone_of(const std::string& zone, const std::string& text) {
    try {
        return Name::parse_fqdn(zone);
    } catch (const NameError& e) {
        throw UsageError("'" + text + "': " + e.what());
    }
}

// The PORT of axfr://HOST:PORT/ZONE: 1 to 65535.
std::uint16_t port_of(const std::string& port, const std::string& text) {
    unsigned long p = 0;
    try {
        std::size_t pos = 0;
        p = std::stoul(port, &pos);
        if (pos != port.size()) p = 0;
    } catch (const std::exception&) {
        p = 0;
    }
    if (p == 0 || p > 65535) throw UsageError("'" + text + "': bad port");
    return static_cast<std::uint16_t>(p);
}

// axfr://HOST[:PORT]/ZONE, "[V6]:PORT" for an IPv6 address with a port.
void parse_axfr(Location& l) {
    const std::string& url = l.text;
    std::string rest = url.substr(7);
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash + 1 >= rest.size())
        throw UsageError("'" + url + "' names no zone: axfr://HOST[:PORT]/ZONE");
    std::string hostport = rest.substr(0, slash), zone = rest.substr(slash + 1);
    if (!hostport.empty() && hostport.front() == '[') {
        auto close = hostport.find(']');
        if (close == std::string::npos) throw UsageError("'" + url + "': missing ']'");
        l.host = hostport.substr(1, close - 1);
        hostport = hostport.substr(close + 1);
        if (!hostport.empty() && hostport.front() != ':')
            throw UsageError("'" + url + "': bad port");
        if (!hostport.empty()) hostport = hostport.substr(1);
    } else {
        auto colon = hostport.rfind(':');
        l.host = hostport.substr(0, colon);
        hostport = colon == std::string::npos ? "" : hostport.substr(colon + 1);
    }
    if (!hostport.empty()) l.port = port_of(hostport, url);
    if (l.host.empty()) throw UsageError("'" + url + "' names no host");
    l.zone = zone_of(zone, url);
}

}  // namespace

LocationKind location_kind(const std::string& text) {
    if (text.rfind("pdns:", 0) == 0) return LocationKind::pdns;
    if (text.rfind("axfr://", 0) == 0) return LocationKind::axfr;
    return LocationKind::file;
}

bool is_file_location(const std::string& text) {
    return location_kind(text) == LocationKind::file;
}

Location Location::parse(const std::string& text) {
    Location l;
    l.kind = location_kind(text);
    l.text = text;
    if (l.kind == LocationKind::pdns && text.size() > 5) l.zone = zone_of(text.substr(5), text);
    if (l.kind == LocationKind::axfr) parse_axfr(l);
    return l;
}

bool same_server(std::string_view a, std::string_view b) {
    while (!a.empty() && a.back() == '/') a.remove_suffix(1);
    while (!b.empty() && b.back() == '/') b.remove_suffix(1);
    return a == b;
}

}  // namespace zonegen
