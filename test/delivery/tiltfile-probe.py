"""Runs the Tiltfile against stand-ins of the Tilt functions it calls and prints, as JSON, what it asked for.

Starlark is a subset of Python, so Python's own parser and interpreter are a fair approximation: the script
first refuses the Python constructs Starlark lacks (classes, while, try, imports, f-strings, ...), then
executes the file with stand-ins whose signatures are Tilt's (an unknown keyword argument fails as it would
in Tilt), recording every path, image, resource and rendered object the Tiltfile names.

    python3 tiltfile-probe.py <Tiltfile> <rendered chart as JSON> <current kubectl context>

The chart is rendered by the caller (helm template with the same values files): `helm()` returns it here.
"""

import ast
import builtins
import copy
import json
import sys

NOT_STARLARK = {
    ast.ClassDef: "class",
    ast.While: "while",
    ast.Try: "try",
    ast.With: "with",
    ast.Import: "import (Starlark uses load())",
    ast.ImportFrom: "import (Starlark uses load())",
    ast.JoinedStr: "f-string",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.AsyncFunctionDef: "async def",
    ast.Raise: "raise (Starlark uses fail())",
    ast.Assert: "assert",
    ast.Delete: "del",
    ast.Set: "set literal",
    ast.SetComp: "set comprehension",
    ast.NamedExpr: "walrus",
    ast.Lambda: "lambda",
    ast.Match: "match",
}


def starlark_violations(tree):
    found = []
    for node in ast.walk(tree):
        for kind, what in NOT_STARLARK.items():
            if isinstance(node, kind):
                found.append("line %d: %s" % (node.lineno, what))
        if isinstance(node, ast.Compare):
            if len(node.ops) > 1:
                found.append("line %d: chained comparison" % node.lineno)
            if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
                found.append("line %d: is / is not" % node.lineno)
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            found.append("line %d: decorator" % node.lineno)
    return found


def main():
    tiltfile, rendered_chart, context = sys.argv[1], sys.argv[2], sys.argv[3]
    source = open(tiltfile).read()
    tree = ast.parse(source, tiltfile)
    violations = starlark_violations(tree)
    if violations:
        print(json.dumps({"starlarkViolations": violations}))
        return

    with open(rendered_chart) as file:
        chart_objects = json.load(file)
    calls = {
        "kustomize": [],
        "helm": [],
        "k8sYamlFiles": [],
        "k8sYamlObjects": [],
        "dockerBuilds": [],
        "k8sResources": [],
        "localResources": [],
    }

    class Failed(Exception):
        pass

    def fail(*args):
        raise Failed(" ".join(str(arg) for arg in args))

    def k8s_context():
        return context

    def kustomize(pathToDir, kustomize_bin=None, flags=[]):
        calls["kustomize"].append(pathToDir)
        return {"kustomize": pathToDir}

    def helm(pathToChartDir, name="", namespace="", values=[], set=[], kube_version="", skip_crds=False):
        calls["helm"].append({"chart": pathToChartDir, "name": name, "namespace": namespace, "values": values, "set": set})
        return {"helm": pathToChartDir}

    def decode_yaml_stream(yaml):
        if not (isinstance(yaml, dict) and "helm" in yaml):
            raise TypeError("decode_yaml_stream: the probe can only decode helm() output")
        return copy.deepcopy(chart_objects)

    def encode_yaml_stream(objs):
        return {"encoded": objs}

    def k8s_yaml(yaml, allow_duplicates=False):
        if isinstance(yaml, str):
            calls["k8sYamlFiles"].append(yaml)
        elif isinstance(yaml, dict) and "encoded" in yaml:
            calls["k8sYamlObjects"] += yaml["encoded"]
        elif isinstance(yaml, dict) and "kustomize" in yaml:
            pass
        else:
            raise TypeError("k8s_yaml: unexpected argument %r" % (yaml,))

    def k8s_resource(workload="", new_name="", port_forwards=[], extra_pod_selectors=[], trigger_mode=None,
                     resource_deps=[], objects=[], auto_init=True, pod_readiness="", links=[], labels=[],
                     discovery_strategy=""):
        calls["k8sResources"].append({"workload": workload, "portForwards": port_forwards,
                                      "resourceDeps": resource_deps, "labels": labels})

    def local_resource(name, cmd="", deps=[], trigger_mode=None, resource_deps=[], ignore=[], auto_init=True,
                       serve_cmd="", cmd_bat="", serve_cmd_bat="", allow_parallel=False, links=[], tags=[],
                       env={}, serve_env={}, readiness_probe=None, dir="", serve_dir="", labels=[]):
        calls["localResources"].append({"name": name, "cmd": cmd, "deps": deps, "labels": labels})

    def docker_build(ref, context, build_args={}, dockerfile="Dockerfile", dockerfile_contents="", live_update=[],
                     match_in_env_vars=False, ignore=[], only=[], entrypoint=[], target="", ssh="", network="",
                     secret="", extra_tag="", container_args=None, cache_from=[], pull=False, platform="",
                     env_vars={}):
        calls["dockerBuilds"].append({"ref": ref, "context": context, "buildArgs": build_args,
                                      "dockerfile": dockerfile, "only": only, "ignore": ignore,
                                      "liveUpdate": live_update})

    def sync(local_path, remote_path):
        return {"sync": [local_path, remote_path]}

    def fall_back_on(files):
        return {"fallBackOn": files if isinstance(files, list) else [files]}

    def run(cmd, trigger=[], echo_off=False):
        return {"run": cmd, "trigger": trigger}

    stand_ins = {
        "fail": fail,
        "k8s_context": k8s_context,
        "kustomize": kustomize,
        "helm": helm,
        "decode_yaml_stream": decode_yaml_stream,
        "encode_yaml_stream": encode_yaml_stream,
        "k8s_yaml": k8s_yaml,
        "k8s_resource": k8s_resource,
        "local_resource": local_resource,
        "docker_build": docker_build,
        "sync": sync,
        "fall_back_on": fall_back_on,
        "run": run,
    }
    # Only the stand-ins and Starlark's own builtins: a Python-only builtin is a NameError here too.
    starlark_builtins = {name: getattr(builtins, name)
                         for name in ["len", "range", "str", "int", "bool", "list", "dict", "sorted", "reversed",
                                      "enumerate", "zip", "any", "all", "min", "max", "print", "type",
                                      "hasattr", "getattr", "repr", "tuple", "abs"]}
    try:
        exec(compile(tree, tiltfile, "exec"), {"__builtins__": starlark_builtins, **stand_ins})
    except Failed as failure:
        print(json.dumps({"failed": str(failure)}))
        return
    print(json.dumps(calls))


main()
