#!/bin/sh
# Startup cost of the agent on a trivial main that creates an HttpClient: wall, CPU (user+sys) and
# peak RSS, median of RUNS rounds, without the agent and with each agent jar given, side by side.
# Each round runs every variant once, in turn, so that a machine whose load changes weighs on all
# of them alike. The agent's own premain time is read from its start line ("premain N ms").
# Usage: bench/startup/run.sh RUNS LABEL=AGENT.JAR[=OPTIONS]...   (JAVA selects the JVM)
# e.g.   bench/startup/run.sh 9 reqflow=agent/target/reqflow-agent.jar
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runs=$1
shift
java=${JAVA:-java}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$(command -v "$java")")/javac" -d "$work/classes" "$here/TrivialMain.java"

once() { # label, then JVM options
  label=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$java" "$@" -cp "$work/classes" TrivialMain \
    >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  premain=$(sed -n 's/.*premain \([0-9]*\) ms.*/\1/p' "$work/err" | head -1)
  echo "$(cat "$work/t") ${premain:--}" >>"$work/$label.runs"
  if grep -q 'warning\|WARNING' "$work/err"; then
    grep -h 'warning\|WARNING' "$work/err" | sort -u >"$work/$label.warnings"
  fi
}

i=0
while [ "$i" -lt "$runs" ]; do
  once none
  for v in "$@"; do
    label=${v%%=*}
    rest=${v#*=}
    jar=${rest%%=*}
    opts=
    [ "$rest" != "$jar" ] && opts="=${rest#*=}"
    once "$label" "-javaagent:$jar$opts"
  done
  i=$((i + 1))
done

med() { # file, column expression
  awk "{ print $2 }" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
printf '%-12s %8s %8s %10s %12s\n' variant "wall s" "CPU s" "RSS MiB" "premain ms"
for label in none $(for v in "$@"; do echo "${v%%=*}"; done); do
  f=$work/$label.runs
  printf '%-12s %8s %8s %10.0f %12s\n' "$label" "$(med "$f" '$1')" "$(med "$f" '$2 + $3')" \
    "$(med "$f" '$4 / 1024')" "$(med "$f" '$5')"
  [ -f "$work/$label.warnings" ] && sed 's/^/    /' "$work/$label.warnings"
done
