#include "backends/zonefile.hpp"

extern "C" {
#include <libknot/libknot.h>
#include <libzscanner/scanner.h>
}
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include <memory>

#include "validators/checks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/input.hpp"

namespace zonegen {
namespace {

constexpr int kMaxIncludeDepth = 8;

struct ScannerDeleter {
    void operator()(zs_scanner_t* s) const {
        zs_deinit(s);
        delete s;
    }
};
using ScannerPtr = std::unique_ptr<zs_scanner_t, ScannerDeleter>;

ScannerPtr make_scanner(const Name& origin, std::uint32_t ttl) {
    auto* s = new zs_scanner_t();
    if (zs_init(s, origin.to_string().c_str(), KNOT_CLASS_IN, ttl) != 0) {
        delete s;
        throw InputError("cannot start the zone scanner for " + origin.to_string());
    }
    return ScannerPtr(s);
}

std::string real_dir(const std::string& dir) {
    char buf[PATH_MAX];
    if (!realpath(dir.c_str(), buf)) return "";
    std::string r = buf;
    if (r.back() != '/') r.push_back('/');
    return r;
}

class Reader {
  public:
    Reader(const ReadOptions& o, ReadResult& r) : res_(r) {
        if (!o.allow_include_dir.empty()) allowed_ = real_dir(o.allow_include_dir);
    }

    void run(zs_scanner_t* s, const std::string& file, int depth) {
        // The file's mapping as the scanner made it (it may switch to another buffer for the
        // last line: then nothing more is handed back).
        Mapping map{s->input.mmaped, s->input.start, s->input.end, s->input.start};
        while (zs_parse_record(s) == 0) {
            switch (s->state) {
                case ZS_STATE_DATA:
                    record(s, file);
                    release_parsed(s, map);
                    break;
                case ZS_STATE_ERROR:
                    finding(file, static_cast<int>(s->line_counter), "syntax",
                            std::string(zs_strerror(s->error.code)));
                    if (s->error.fatal) return;
                    break;
                case ZS_STATE_INCLUDE:
                    include(s, file, depth);
                    break;
                case ZS_STATE_EOF:
                case ZS_STATE_STOP:
                    return;
                default:
                    break;
            }
        }
        if (s->state == ZS_STATE_ERROR)
            finding(file, static_cast<int>(s->line_counter), "syntax",
                    std::string(zs_strerror(s->error.code)));
    }

  private:
    // The scanner maps a zone file whole; the text behind it is never read again, so its
    // pages are handed back every MiB (a read-only file mapping: a page touched again is
    // read again). A 1M-record file no longer sits in memory beside its zone.
    struct Mapping {
        bool mapped;
        const char *start, *end, *released;
    };
    static void release_parsed(zs_scanner_t* s, Mapping& m) {
        constexpr std::uintptr_t kStep = 1u << 20;
        const char* at = s->input.current;
        if (!m.mapped || s->input.start != m.start || at < m.released || at > m.end) return;
        auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
        auto base = reinterpret_cast<std::uintptr_t>(m.start);
        auto from = std::max(reinterpret_cast<std::uintptr_t>(m.released) & ~(page - 1), base);
        auto to = reinterpret_cast<std::uintptr_t>(at) & ~(page - 1);
        if (to < from + kStep) return;
        madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
        m.released = reinterpret_cast<const char*>(to);
    }

    void finding(const std::string& file, int line, std::string_view id, std::string msg,
                 const Name* owner = nullptr, std::optional<RRType> type = std::nullopt) {
        Finding f = make_finding(id, owner, type, std::move(msg), line);
        f.file = file;
        res_.findings.push_back(std::move(f));
    }

    void record(zs_scanner_t* s, const std::string& file) {
        int line = static_cast<int>(s->line_counter);
        std::string_view ow(reinterpret_cast<const char*>(s->r_owner), s->r_owner_length);
        // Records come in runs of one owner: its name is read once a run.
        if (ow != last_raw_owner_) {
            std::size_t off = 0;
            try {
                last_owner_ = Name::from_wire(ow, off);
            } catch (const NameError& e) {
                last_raw_owner_.clear();
                kept_owner_ = nullptr;
                finding(file, line, "syntax", e.what());
                return;
            }
            last_raw_owner_.assign(ow);
            kept_owner_ = nullptr;
        }
        const Name& owner = kept_owner_ ? *kept_owner_ : last_owner_;
        if (s->r_class != KNOT_CLASS_IN) {
            finding(file, line, "syntax", "class " + std::to_string(s->r_class) + " is not IN",
                    &owner, s->r_type);
            return;
        }
        std::string& rdata = rdata_;  // one buffer for every record: no allocation each
        rdata.assign(reinterpret_cast<const char*>(s->r_data), s->r_data_length);
        try {
            canonicalize_rdata(s->r_type, rdata);
        } catch (const RdataError& e) {
            finding(file, line, "syntax", e.what(), &owner, s->r_type);
            return;
        }
        kept_owner_ = &res_.zone.add_loose(owner, s->r_type, s->r_ttl, rdata, line);
    }

    void include(zs_scanner_t* s, const std::string& file, int depth) {
        int line = static_cast<int>(s->line_counter);
        std::string target = s->include_filename;
        if (allowed_.empty()) {
            finding(file, line, "include-refused",
                    "$INCLUDE is refused (an include can read any file); allow a directory with "
                    "--allow-include DIR");
            return;
        }
        char buf[PATH_MAX];
        if (!realpath(target.c_str(), buf)) {
            finding(file, line, "syntax", "$INCLUDE file cannot be opened");
            return;
        }
        std::string real = buf;
        if (real.rfind(allowed_, 0) != 0) {
            finding(file, line, "include-refused",
                    "$INCLUDE of a file outside the --allow-include directory");
            return;
        }
        if (depth >= kMaxIncludeDepth) {
            finding(file, line, "syntax", "$INCLUDE nested too deeply");
            return;
        }
        Name origin = res_.zone.origin();
        const char* o = reinterpret_cast<const char*>(s->buffer);
        try {
            if (o[0]) origin = Name::parse(o);
        } catch (const NameError& e) {
            finding(file, line, "syntax", std::string("bad origin in $INCLUDE: ") + e.what());
            return;
        }
        auto sub = make_scanner(origin, s->default_ttl);
        if (zs_set_input_file(sub.get(), real.c_str()) != 0) {
            finding(file, line, "syntax",
                    "$INCLUDE file cannot be read: " + std::string(zs_strerror(sub->error.code)));
            return;
        }
        run(sub.get(), real, depth + 1);
    }

    ReadResult& res_;
    std::string allowed_;
    std::string last_raw_owner_;  // the previous record's owner as the scanner gave it
    Name last_owner_;
    const Name* kept_owner_ = nullptr;  // last_owner_ as the zone keeps it, once added
    std::string rdata_;
};

Name pick_origin(const ReadOptions& opts, const std::string& head, const std::string& name) {
    std::optional<Name> declared = leading_origin(head);
    if (opts.origin) {
        // A parent's $ORIGIN ("$ORIGIN ." and absolute owners, as BIND dumps) declares no
        // zone: the SOA says whose the file is (refuse_other_soa).
        if (opts.refuse_other_origin && declared && !opts.origin->is_subdomain_of(*declared))
            throw InputError(name + " is a zone file of " + declared->to_string() + ", not of " +
                             opts.origin->to_string());
        return *opts.origin;
    }
    if (declared) return *declared;
    if (opts.fallback) return *opts.fallback;
    throw InputError(
        name + ": no $ORIGIN at the top of the file: give the zone's name with --origin NAME");
}

// A file without $ORIGIN but with absolute owners is as much another zone's as one with a
// foreign $ORIGIN: its SOA says whose it is. (An SOA below an apex that has its own is a
// finding of the zone, soa-not-at-apex.)
void refuse_other_soa(const ReadOptions& opts, const ReadResult& res, const std::string& name) {
    const Name& origin = res.zone.origin();
    if (!opts.refuse_other_origin || res.zone.find(origin, rrtype::SOA)) return;
    for (const RRset& s : res.zone.rrsets())
        if (s.type == rrtype::SOA && s.owner != origin)
            throw InputError(name + " is a zone file of " + s.owner.to_string() +
                             " (its SOA), not of " + origin.to_string());
}

}  // namespace

std::optional<Name> leading_origin(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string line = text.substr(i, e - i);
        i = e + 1;
        auto b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos || line[b] == ';') continue;
        if (line.compare(0, 8, "$ORIGIN ") == 0 || line.compare(0, 8, "$ORIGIN\t") == 0) {
            std::string o = line.substr(8);
            auto sc = o.find(';');
            if (sc != std::string::npos) o = o.substr(0, sc);
            auto ob = o.find_first_not_of(" \t"), oe = o.find_last_not_of(" \t\r");
            if (ob == std::string::npos) return std::nullopt;
            o = o.substr(ob, oe - ob + 1);
            try {
                if (o.back() == '.') return Name::parse(o);
            } catch (const NameError&) {
            }
            return std::nullopt;
        }
        if (line.compare(0, 4, "$TTL") == 0) continue;
        return std::nullopt;
    }
    return std::nullopt;
}

ReadResult read_zone_file(const std::string& path, const ReadOptions& opts) {
    if (path == "-") return read_zone_text(read_input("-"), "<stdin>", opts);
    // Only the head is needed to find a leading $ORIGIN; the scanner maps the file itself.
    std::string head;
    if (!opts.origin || opts.refuse_other_origin) head = read_input_head(path, 64 * 1024);
    Name origin = pick_origin(opts, head, path);
    ReadResult res{Zone(origin), {}};
    auto s = make_scanner(origin, opts.default_ttl);
    if (zs_set_input_file(s.get(), path.c_str()) != 0)
        throw InputError(path + ": cannot read: " + zs_strerror(s->error.code));
    Reader r(opts, res);
    r.run(s.get(), path, 0);
    refuse_other_soa(opts, res, path);
    return res;
}

ReadResult read_zone_text(const std::string& text, const std::string& name,
                          const ReadOptions& opts) {
    Name origin = pick_origin(opts, text, name);
    ReadResult res{Zone(origin), {}};
    auto s = make_scanner(origin, opts.default_ttl);
    if (zs_set_input_string(s.get(), text.data(), text.size()) != 0)
        throw InputError(name + ": cannot read: " + zs_strerror(s->error.code));
    Reader r(opts, res);
    r.run(s.get(), name, 0);
    refuse_other_soa(opts, res, name);
    return res;
}

}  // namespace zonegen
