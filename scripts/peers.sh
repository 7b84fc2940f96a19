#!/usr/bin/env bash
# Compares connectorgen with the pinned peers (ogen, oapi-codegen) on the peers' baseline specs
# (../shared/tools/peers/baseline-2026-11-22.tsv), using the shared run-peers.sh; prints its TSV on stdout.
#
# Usage: scripts/peers.sh [NAME...]      NAME: baseline spec names (default: all that the corpus holds)
#        scripts/peers.sh -l             list NAME -> corpus file, and the baseline specs missing from the corpus
#
# Environment (defaults in brackets):
#   SHARED [<checkout>/../shared]  CORPUS [$SHARED/corpus]  PEERS [$SHARED/tools/peers]
#   CG_REV [HEAD]     git revision of connectorgen to build (from `git archive`, so uncommitted edits in the
#                     working tree are not measured); CG_REV=worktree builds the working tree as it is
#   TOOLS ["ogen ogen-lenient oapi-codegen custom:cg"]  RUNS [3]  BUILD_RUNS [3]  (passed to run-peers.sh)
#   SUBSTITUTES [0]   1: also run the corpus's other versions of baseline APIs whose baseline file is missing
#   INSTALL [1]       0: skip install-peers.sh (peers already in /tmp/connectorgen-peers/bin)
#   KEEP [0]          1: keep the temp dir (connectorgen binary, snapshot, generated outputs) and print its path
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=${CORPUS:-$SHARED/corpus}
PEERS=${PEERS:-$SHARED/tools/peers}
CG_REV=${CG_REV:-HEAD}
SUBSTITUTES=${SUBSTITUTES:-0}
INSTALL=${INSTALL:-1}
KEEP=${KEEP:-0}
export TOOLS=${TOOLS:-"ogen ogen-lenient oapi-codegen custom:cg"}
export RUNS=${RUNS:-3}
export BUILD_RUNS=${BUILD_RUNS:-3}

# Baseline spec name (the `spec` column of baseline-2026-11-22.tsv) -> corpus file of the same API. For
# petstore, box, slack, trello, xero, stripe and github the peers reproduce the baseline's line counts and
# errors exactly; sqs, asana, bitbucket, spotify and twilio are other versions of the API than the baseline's
# file (the peers' line counts differ; see docs/peers/README.md).
BASELINE=(
  "petstore-3.0                    openapi/oai-examples/v3.0/petstore.yaml"
  "amazonaws.com_sqs               openapi/amazonaws.com/sqs.2012-11-05.openapi.yaml"
  "asana.com                       openapi/asana.com/1.0.openapi.yaml"
  "bitbucket.org                   openapi/bitbucket.org/2.0.openapi.yaml"
  "box.com                         openapi/box.com/2.0.0.openapi.yaml"
  "slack.com                       openapi/slack.com/1.7.0.openapi.yaml"
  "spotify.com                     openapi/spotify.com/2021.8.15.openapi.yaml"
  "trello.com                      openapi/trello.com/1.0.openapi.yaml"
  "twilio.com_twilio_messaging_v1  openapi/twilio/twilio_messaging_v1.yaml"
  "xero.com_xero_accounting        openapi/xero.com/xero_accounting.2.9.4.openapi.yaml"
  "stripe-corpus-spec3-2023-09-12  openapi/stripe/spec3.yaml"
  "github-corpus-2022-06-11        openapi/github/api.github.com.json"
)
# Baseline specs with no file in the corpus (the baseline's copies are not in ../shared).
MISSING=(adyen.com_CheckoutService-v71 api.video apideck.com_accounting azure.com_keyvault
  ebay.com_sell-fulfillment gitlab.com googleapis.com_youtube launchdarkly.com mux.com netlify.com openai.com
  vercel.com wikimedia.org stripe-apisguru-2025-10-15 kubernetes-apisguru-3.0 github-api.github.com)
# Other versions of some missing APIs that the corpus does hold (not baseline rows; SUBSTITUTES=1).
SUBST=(
  "subst-adyen.com_CheckoutService-v68    openapi/adyen.com/CheckoutService.68.openapi.yaml"
  "subst-apideck.com_crm                  openapi/apideck.com/crm.8.32.3.openapi.yaml"
  "subst-ebay.com_sell-feed               openapi/ebay.com/sell-feed.v1.3.1.openapi.yaml"
  "subst-googleapis.com_storage           openapi/googleapis.com/storage.v1.openapi.yaml"
  "subst-gitlab.com-v3-swagger2           openapi/gitlab.com/v3.swagger.yaml"
  "subst-launchdarkly.com-5.3.0-swagger2  openapi/launchdarkly.com/5.3.0.swagger.yaml"
  "subst-netlify.com-2.5.0-swagger2       openapi/netlify.com/2.5.0.swagger.yaml"
  "subst-kubernetes-corpus-swagger2       openapi/kubernetes/swagger.json"
)

entries=("${BASELINE[@]}")
[[ $SUBSTITUTES == 1 ]] && entries+=("${SUBST[@]}")

if [[ ${1:-} == -l ]]; then
  printf '%s\n' "${entries[@]}"
  printf 'missing from corpus: %s\n' "${MISSING[*]}"
  exit 0
fi

[[ -x $PEERS/run-peers.sh ]] || { echo "no $PEERS/run-peers.sh (set SHARED or PEERS)" >&2; exit 1; }
[[ -d $CORPUS/openapi ]] || { echo "no $CORPUS/openapi (set SHARED or CORPUS)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgpeers.XXXXXX")
if [[ $KEEP == 1 ]]; then echo "keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi
export WORK=${WORK:-$TMP/work}

# Build connectorgen from a snapshot of CG_REV (or the working tree).
if [[ $CG_REV == worktree ]]; then
  SRC=$ROOT
else
  SRC=$TMP/src
  mkdir -p "$SRC"
  git -C "$ROOT" archive "$CG_REV" | tar -x -C "$SRC"
  echo "connectorgen $(git -C "$ROOT" rev-parse "$CG_REV")" >&2
fi
(cd "$SRC" && go build -o "$TMP/bin/connectorgen" ./cmd/connectorgen)

# The custom slot: generate, then point the output module's runtime import at the snapshot's runtime module.
export CUSTOM_GEN_CMD_cg="$(printf '%q' "$TMP/bin/connectorgen") generate -spec {spec} -package api -out {out}"
export CUSTOM_PREBUILD_CMD_cg="go mod edit -replace=github.com/connectorgen/connectorgen/runtime=$(printf '%q' "$SRC/runtime")"

# Specs under their baseline names (run-peers.sh names rows by file name), as symlinks into the corpus.
mkdir -p "$TMP/specs"
specs=()
for e in "${entries[@]}"; do
  read -r name rel <<<"$e"
  if (($# > 0)); then
    want=0
    for a in "$@"; do [[ $a == "$name" ]] && want=1; done
    ((want)) || continue
  fi
  [[ -f $CORPUS/$rel ]] || { echo "missing corpus file $CORPUS/$rel" >&2; exit 1; }
  ln -s "$(cd "$(dirname "$CORPUS/$rel")" && pwd)/$(basename "$rel")" "$TMP/specs/$name.${rel##*.}"
  specs+=("$TMP/specs/$name.${rel##*.}")
done
for a in "$@"; do
  known=0
  for m in "${MISSING[@]}"; do [[ $a == "$m" ]] && { echo "$a: baseline spec not in the corpus, skipped" >&2; known=1; }; done
  for e in "${entries[@]}"; do [[ ${e%% *} == "$a" ]] && known=1; done
  ((known)) || echo "$a: unknown spec name, skipped (scripts/peers.sh -l lists them; SUBSTITUTES=1 for subst-*)" >&2
done
((${#specs[@]})) || { echo "no specs selected (scripts/peers.sh -l lists them)" >&2; exit 2; }

[[ $INSTALL == 1 ]] && "$PEERS/install-peers.sh" >&2
echo "load before: $(uptime)" >&2
"$PEERS/run-peers.sh" "${specs[@]}"
echo "load after: $(uptime)" >&2
