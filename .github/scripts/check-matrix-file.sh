#!/usr/bin/env bash
# Fails a workflow run clearly when the landing zone's matrix file is missing:
# CI works on the repository's matrix (MATRIX_FILE), never on the embedded example.
set -u
if [ -z "${MATRIX_FILE:-}" ]; then
  echo "::error title=No matrix file::MATRIX_FILE is empty. Set the repository variable MATRIX_FILE to the path of the landing zone's matrix, or commit it as landing-zone.yaml."
  exit 1
fi
if [ ! -f "$MATRIX_FILE" ]; then
  echo "::error title=No matrix file::MATRIX_FILE=$MATRIX_FILE does not exist in this repository. Commit the landing zone's matrix there (npx bedrock-governance init writes a starting one), or set the repository variable MATRIX_FILE (Settings > Secrets and variables > Actions > Variables) to its path. CI never uses the embedded example."
  exit 1
fi
echo "Matrix: $MATRIX_FILE"
