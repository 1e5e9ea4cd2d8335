"""Provider adapters behind the LLM port (crm.llm.ports.Provider)."""
