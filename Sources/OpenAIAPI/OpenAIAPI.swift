// Module OpenAIAPI. See Package.swift for the layering.
