"""A life cycle of droplets, reserved IPs, volumes, snapshots and firewalls
through pydo, DigitalOcean's official Python client, unmodified, against a
doapi-sim endpoint. Each step's result is checked; the last line printed is
a JSON report: {"ok", "steps", "requests", "wall_s", "error"}.

pydo's bearer-token policy (azure-core's) refuses plain http. The client is
given that same policy, told that https is not needed for loopback hosts
only: nothing in pydo changes.

usage: python pydo_stack.py ENDPOINT TOKEN
"""

import json
import sys
import time
from urllib.parse import urlparse

from azure.core.pipeline.policies import BearerTokenCredentialPolicy, SansIOHTTPPolicy
from pydo import Client
from pydo._patch import TokenCredentials

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class LoopbackBearer(BearerTokenCredentialPolicy):
    """azure-core's bearer policy, allowing http to a loopback host."""

    def on_request(self, request):
        if urlparse(request.http_request.url).hostname in LOOPBACK:
            request.context["enforce_https"] = False
        super().on_request(request)


class Count(SansIOHTTPPolicy):
    """Counts the requests sent."""

    sent = 0

    def on_request(self, request):
        Count.sent += 1


def client(endpoint, token):
    return Client(
        token,
        endpoint=endpoint,
        authentication_policy=LoopbackBearer(TokenCredentials(token), "https://api.digitalocean.com"),
        custom_hook_policy=Count(),
        retry_total=0,
    )


def check(what, ok):
    if not ok:
        raise AssertionError(what)


def until(what, get, done, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: never done: {value}")
        time.sleep(0.05)


def run(do, steps):
    def step(name):
        steps.append(name)

    def completes(action):
        a = until("action", lambda: do.actions.get(action["id"])["action"], lambda a: a["status"] != "in-progress")
        check(f"action {a['id']} {a['type']} completed", a["status"] == "completed")

    # Droplets.
    body = {"name": "pydo-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64", "tags": ["pydo"]}
    droplet = do.droplets.create(body=body)["droplet"]
    did = droplet["id"]
    check("a new droplet is new", droplet["status"] == "new")
    droplet = until("droplet", lambda: do.droplets.get(did)["droplet"], lambda d: d["status"] == "active")
    check("listed", any(d["id"] == did for d in do.droplets.list(tag_name="pydo")["droplets"]))
    step("droplet created, active, listed by tag")

    # A reserved IP, assigned.
    ip = do.reserved_ips.create(body={"region": "nyc3"})["reserved_ip"]["ip"]
    completes(do.reserved_ips_actions.post(ip, body={"type": "assign", "droplet_id": did})["action"])
    check("assigned", do.reserved_ips.get(ip)["reserved_ip"]["droplet"]["id"] == did)
    v4 = do.droplets.get(did)["droplet"]["networks"]["v4"]
    check("in the droplet's networks", any(n["ip_address"] == ip for n in v4))
    check("one action", do.reserved_ips_actions.list(ip)["meta"]["total"] == 1)
    step("reserved IP created, assigned, in the droplet's networks")

    # A volume, attached, and its snapshot.
    body = {"name": "pydo-data", "size_gigabytes": 10, "region": "nyc3", "filesystem_type": "ext4"}
    vol = do.volumes.create(body=body)["volume"]["id"]
    action = do.volume_actions.post_by_id(vol, body={"type": "attach", "droplet_id": did, "region": "nyc3"})
    completes(action["action"])
    check("attached", do.volumes.get(vol)["volume"]["droplet_ids"] == [did])
    check("the droplet's volume", do.droplets.get(did)["droplet"]["volume_ids"] == [vol])
    check("listed by name", [v["id"] for v in do.volumes.list(name="pydo-data")["volumes"]] == [vol])
    vsnap = do.volume_snapshots.create(vol, body={"name": "pydo-data-snap"})["snapshot"]["id"]
    check("the volume's snapshot", [s["id"] for s in do.volume_snapshots.list(vol)["snapshots"]] == [vsnap])
    step("volume created, attached on both sides, snapshotted")

    # A droplet snapshot; both kinds in /v2/snapshots.
    completes(do.droplet_actions.post(did, body={"type": "snapshot", "name": "pydo-1-snap"})["action"])
    dsnaps = do.snapshots.list(resource_type="droplet")["snapshots"]
    check("one droplet snapshot", len(dsnaps) == 1 and dsnaps[0]["resource_id"] == str(did))
    dsnap = dsnaps[0]["id"]
    check("by id", do.snapshots.get(dsnap)["snapshot"]["name"] == "pydo-1-snap")
    check("both kinds", do.snapshots.list()["meta"]["total"] == 2)
    step("droplet snapshot taken; droplet and volume snapshots listed")

    # A firewall, by droplet and by tag.
    rule = {"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0"]}}
    out = {"protocol": "tcp", "ports": "all", "destinations": {"addresses": ["0.0.0.0/0"]}}
    fw = do.firewalls.create(body={"name": "pydo-fw", "inbound_rules": [rule], "outbound_rules": [out]})["firewall"]
    fid = fw["id"]
    check("no droplets yet", do.droplets.list_firewalls(did)["firewalls"] == [])
    do.firewalls.add_tags(fid, body={"tags": ["pydo"]})
    check("by tag", [f["id"] for f in do.droplets.list_firewalls(did)["firewalls"]] == [fid])
    do.firewalls.delete_tags(fid, body={"tags": ["pydo"]})
    do.firewalls.assign_droplets(fid, body={"droplet_ids": [did]})
    check("by id", do.firewalls.get(fid)["firewall"]["droplet_ids"] == [did])
    web = {"protocol": "tcp", "ports": "80", "sources": {"tags": ["pydo"]}}
    do.firewalls.add_rules(fid, body={"inbound_rules": [web]})
    check("two rules", len(do.firewalls.get(fid)["firewall"]["inbound_rules"]) == 2)
    do.firewalls.delete_rules(fid, body={"inbound_rules": [web]})
    step("firewall created; droplets, tags and rules added and removed")

    # What a destroy would take with it.
    assoc = do.droplets.list_associated_resources(did)
    check("the IP", [r["name"] for r in assoc["reserved_ips"]] == [ip])
    check("the volume", [v["id"] for v in assoc["volumes"]] == [vol])
    check("the snapshots", [s["id"] for s in assoc["snapshots"]] == [dsnap])
    step("associated resources listed")

    # Tear down.
    completes(do.volume_actions.post_by_id(vol, body={"type": "detach", "droplet_id": did, "region": "nyc3"})["action"])
    check("detached", do.volumes.get(vol)["volume"]["droplet_ids"] == [])
    do.volumes.delete(vol)
    do.volume_snapshots.delete_by_id(vsnap)
    do.snapshots.delete(dsnap)
    completes(do.reserved_ips_actions.post(ip, body={"type": "unassign"})["action"])
    do.reserved_ips.delete(ip)
    do.firewalls.delete(fid)
    do.droplets.destroy(did)
    check("no droplets", do.droplets.list()["droplets"] == [])
    check("no volumes", do.volumes.list()["volumes"] == [])
    check("no snapshots", do.snapshots.list()["snapshots"] == [])
    check("no reserved IPs", do.reserved_ips.list()["reserved_ips"] == [])
    check("no firewalls", do.firewalls.list()["firewalls"] == [])
    step("torn down: nothing left")


def main():
    endpoint, token = sys.argv[1], sys.argv[2]
    start = time.monotonic()
    report = {"ok": False, "steps": [], "requests": 0, "wall_s": 0.0, "error": None}
    try:
        run(client(endpoint, token), report["steps"])
        report["ok"] = True
    except Exception as e:  # the report says what failed
        report["error"] = f"{type(e).__name__}: {e}"
    report["requests"] = Count.sent
    report["wall_s"] = round(time.monotonic() - start, 3)
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
