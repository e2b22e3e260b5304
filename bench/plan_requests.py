"""The PowerDNS API requests and bodies a raw client sends for a zone as zonegen's plan wants it: built
from one line of `zonegen batch --action plan` (its `plan` document), so that the baseline
creates exactly the zone zonegen would. Shared by bench.py and fleet.py."""
import sys


def rrsets(changes):
    """The plan's record changes (all creations for a new zone) as PowerDNS rrsets."""
    return [{"name": c["name"], "type": c["type"], "ttl": c["after"]["ttl"],
             "records": [{"content": rd, "disabled": False} for rd in c["after"]["rdata"]]} for c in changes]


def create_body(plan_line):
    """The POST /zones body for the plan's new zone: its zone step's kind, masters and
    catalog, as zonegen's own creation sends them, with its records."""
    plan = plan_line["plan"]
    after = next(s["after"] for s in plan["steps"] if s["subject"] == "zone")
    body = {"name": plan_line["zone"], "kind": after["kind"], "masters": after["masters"],
            "soa_edit_api": "INCREASE", "nameservers": [], "rrsets": rrsets(plan["changes"])}
    if "catalog" in after:
        body["catalog"] = after["catalog"]
    return body


def metadata_bodies(plan_line):
    """{kind: body} of each metadata step of the plan (a PUT each)."""
    return {s["subject"].split()[1]: {"kind": s["subject"].split()[1], "metadata": s["after"]}
            for s in plan_line["plan"]["steps"] if s["subject"].startswith("metadata ")}


def fewest_requests(plan_line, known_steps):
    """The fewest requests for one new zone as zonegen's plan wants it, the raw client's
    baseline: the POST of the zone (kind, catalog, records) and a PUT per metadata kind;
    nothing read first, no NOTIFY. KNOWN_STEPS: the plan's other steps this covers (the
    zone's, a catalog's); any other step ends the bench (the baseline would differ)."""
    zone = plan_line["zone"]
    known = set(known_steps) | {"metadata " + k for k in metadata_bodies(plan_line)}
    unknown = [s["subject"] for s in plan_line["plan"]["steps"] if s["subject"] not in known]
    if unknown:
        sys.exit("bench: steps the raw client does not know: " + ", ".join(unknown))
    out = [["POST", "/api/v1/servers/localhost/zones", create_body(plan_line), [201]]]
    for kind, body in metadata_bodies(plan_line).items():
        out.append(["PUT", "/api/v1/servers/localhost/zones/%s/metadata/%s" % (zone, kind), body, [200, 204]])
    return out
