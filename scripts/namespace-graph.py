#!/usr/bin/env python3
"""Prints the namespace dependency graph of Harness.Core, found from the types each file names,
and exits 1 if namespaces form a cycle. Used by the layering test; run by hand to see the graph."""
import collections, os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'harness', 'Harness.Core')
files = []
for dirpath, dirnames, filenames in os.walk(root):
    dirnames[:] = [d for d in dirnames if d not in ('obj', 'bin')]
    files += [os.path.join(dirpath, f) for f in filenames if f.endswith('.cs')]

declaration = re.compile(r'^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly|record|ref)\s+)*(?:class|struct|record|enum|interface|delegate\s+\S+)\s+(?:struct\s+|class\s+)?(\w+)', re.M)
namespace_of_file, text_of_file, owner = {}, {}, collections.defaultdict(set)
for path in files:
    text = open(path, encoding='utf-8').read()
    namespace = re.search(r'^namespace\s+([\w.]+)\s*;', text, re.M).group(1)
    namespace_of_file[path], text_of_file[path] = namespace, re.sub(r'//.*|"(?:\\.|[^"\\])*"', '', text)
    for name in declaration.findall(text):
        owner[name].add(namespace)

graph = collections.defaultdict(set)
for path, text in text_of_file.items():
    here = namespace_of_file[path]
    imported = set(re.findall(r'^using\s+(Harness[\w.]*)\s*;', text, re.M))
    visible = imported | {here} | {here.rsplit('.', k)[0] for k in range(1, here.count('.'))}
    for word in set(re.findall(r'\b[A-Z]\w*\b', text)):
        candidates = owner.get(word, set())
        for namespace in candidates:
            # A name resolves to the declaring namespace only if the file can see it (or qualifies it).
            if namespace != here and (namespace in visible or re.search(r'\b' + re.escape(namespace.split('.')[-1]) + r'\.' + word + r'\b', text)):
                graph[here].add(namespace)

index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on_stack.add(v)
    for w in graph[v]:
        if w not in index: visit(w); low[v] = min(low[v], low[w])
        elif w in on_stack: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop(); on_stack.discard(w); component.append(w)
            if w == v: break
        if len(component) > 1: cycles.append(sorted(component))
for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
    if v not in index: visit(v)

for namespace in sorted(graph):
    print(f"{namespace} -> {', '.join(sorted(graph[namespace]))}")
for cycle in cycles:
    print(f"cycle: {' <-> '.join(cycle)}")
sys.exit(1 if cycles else 0)
