// Module NetIO. See Package.swift for the layering.
