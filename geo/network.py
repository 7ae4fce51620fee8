"""The network of nodes and legs as a graph, for routing and detours."""

from __future__ import annotations

import networkx as nx

from geo.catalogue import Catalogue


def build_network(catalogue: Catalogue) -> nx.MultiGraph[str]:
    """
    All nodes and legs as an undirected multigraph; edge keys are leg ids.

    Several legs may join the same two nodes (rail and road, say), hence a multigraph.
    """
    graph: nx.MultiGraph[str] = nx.MultiGraph()
    for node in catalogue.nodes:
        graph.add_node(node.id, node=node)
    for leg in catalogue.legs:
        graph.add_edge(leg.from_, leg.to, key=leg.id, leg=leg)
    return graph
