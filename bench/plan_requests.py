"""The PowerDNS API bodies a raw client sends for a zone as zonegen's plan wants it: built
from one line of `zonegen batch --action plan` (its `plan` document), so that the baseline
creates exactly the zone zonegen would. Shared by bench.py and fleet.py."""


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
