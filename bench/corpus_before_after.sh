#!/bin/bash
# bench/corpus.py in two trees at once (BEFORE, a worktree of an older commit, and this one), on
# copies of one empty migrated database: /tmp/PREFIX-empty.sqlite3 or the PostgreSQL database
# PREFIX_empty. Figures in /tmp/PREFIX-pair-KIND-{before,after}-N.txt.
#   bench/corpus_before_after.sh 100000 sqlite /tmp/h3-start h3
set -eu
n=$1; kind=$2; before=$3; prefix=$4
here=$(cd "$(dirname "$0")/.." && pwd)
# The benchmark itself, run by each tree on its own code (it imports from its parent folder).
cp "$here/bench/corpus.py" "$before/bench/corpus.py"
for tree in before after; do
  if [ $tree = before ]; then dir=$before; else dir=$here; fi
  if [ "$kind" = sqlite ]; then
    rm -f /tmp/$prefix-$tree-$n.sqlite3*
    cp /tmp/$prefix-empty.sqlite3 /tmp/$prefix-$tree-$n.sqlite3
    url=sqlite:////tmp/$prefix-$tree-$n.sqlite3
  else
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${prefix}_${tree}_$n"
    createdb -h 127.0.0.1 -U postgres -T ${prefix}_empty ${prefix}_${tree}_$n
    url=postgres://postgres@127.0.0.1:5432/${prefix}_${tree}_$n
  fi
  (cd "$dir" && DATABASE_URL=$url nice .venv/bin/python bench/corpus.py --claims $n \
    > /tmp/$prefix-pair-$kind-$tree-$n.txt 2>&1) &
done
wait
