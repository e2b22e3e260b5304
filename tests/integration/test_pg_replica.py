#!/usr/bin/env python3
"""Replication by the database (README, The fleet: PostgreSQL or AXFR): our PowerDNS primary
on gpgsql, a PostgreSQL hot standby streaming from its database, and a read-only PowerDNS
replica reading the standby (primary=no, secondary=no: no NOTIFY, no AXFR). The profile
names the replica as a secondary without an api_url. zonegen applies, updates and deletes
zones on the primary; the replica serves each change with the primary's serial, and apply's
own wait reports it in sync. Usage: test_pg_replica.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, sys

sys.path.insert(0, os.path.dirname(__file__))
from servers import PG_PASSWORD, Pdns, Postgres, dig, soa_serial
import harness
from harness import loopback_profile, make_zg, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
world = {}


def setup():
    world["pg"] = pg = Postgres(os.path.join(WORK, "pg"))
    world["primary"] = p = Pdns(os.path.join(WORK, "primary"), backend="gpgsql", pg=pg)
    world["standby"] = standby = Postgres(os.path.join(WORK, "standby"), standby_of=pg)
    world["replica"] = r = Pdns(os.path.join(WORK, "replica"), backend="gpgsql", pg=standby, dbname=p.dbname,
                                extra_conf="primary=no\nsecondary=no\n")
    prof = open(loopback_profile(ZG, p, r, os.path.join(WORK, "profile.yaml"))).read()
    # The replica has an API (the harness waits on it) that zonegen must never write to.
    prof, n = re.subn(r"\n    api_url: \S+", "", prof)
    assert n == 1, "profile rewrite failed"
    world["profile"] = write(os.path.join(WORK, "profile.yaml"), prof)


def teardown():
    stop_all(world, ("replica", "standby", "primary", "pg"))


def spec(domain, ipv4):
    return ("domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [%s]}\n"
            % (domain, ipv4))


def both(name, rtype="A"):
    return dig(world["primary"].dns_port, name, rtype), dig(world["replica"].dns_port, name, rtype)


def apply(path, *extra):
    d = json.loads(zg("apply", path, "--yes", "--format", "json", "--wait-secondaries", "120",
                      "--profile", world["profile"], *extra, check=0).stdout)
    assert d["applied"] is True, d
    return d


def test_the_replica_serves_each_change_with_the_primarys_serial():
    p, r = world["primary"], world["replica"]
    zone = "replica-zonegen-test.com."
    d = apply(write(os.path.join(WORK, "r1.yaml"), spec(zone[:-1], "192.0.2.10")))
    # apply's own wait: the replica (a secondary without api_url) serves the new serial.
    assert [s["in_sync"] for s in d["secondaries"]] == [True], d["secondaries"]
    assert soa_serial(r.dns_port, zone) == soa_serial(p.dns_port, zone)
    assert both("www." + zone) == (["192.0.2.10"], ["192.0.2.10"])
    before = soa_serial(p.dns_port, zone)
    d = apply(write(os.path.join(WORK, "r2.yaml"), spec(zone[:-1], "192.0.2.20")), "--force")
    assert [s["in_sync"] for s in d["secondaries"]] == [True], d["secondaries"]
    assert soa_serial(r.dns_port, zone) == soa_serial(p.dns_port, zone) > before
    assert both("www." + zone) == (["192.0.2.20"], ["192.0.2.20"])
    # No zone transfer happened: the replica neither asked for one nor took a NOTIFY.
    assert "AXFR" not in r.log() and "XFR-in" not in r.log(), r.log()


def test_a_deleted_zone_leaves_the_replica_and_its_database_refuses_writes():
    p, r = world["primary"], world["replica"]
    zone = "replica-gone-zonegen-test.com"
    f = write(os.path.join(WORK, "g.yaml"), spec(zone, "192.0.2.30"))
    apply(f)
    assert soa_serial(r.dns_port, zone)
    c = write(os.path.join(WORK, "gc.yaml"), spec(zone, "192.0.2.30").replace("dns_pattern: A", "dns_pattern: C")
              + "customer_nameservers: [ns1.dns-host.example]\n")
    zg("apply", c, "--yes", "--force", "--profile", world["profile"], check=0)
    wait_for(lambda: soa_serial(r.dns_port, zone) is None and soa_serial(p.dns_port, zone) is None,
             "the deleted zone to leave the replica")
    # The standby is read-only: the replica's role cannot write there.
    try:
        world["standby"].psql("DELETE FROM records", db=p.dbname, user=p.dbname, password=PG_PASSWORD)
        raise AssertionError("the standby accepted a write")
    except RuntimeError as e:
        assert "read-only" in str(e), e


if __name__ == "__main__":
    harness.main(globals(), WORK)
