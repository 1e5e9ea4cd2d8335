"""No tables of its own: users and groups are Django's, Technician.user links a technician,
ApiToken is crm.core's."""
