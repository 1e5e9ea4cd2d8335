"""The accounts app's pages: users (Owners), API tokens (everyone, their own), My visits."""
