"""The one NinjaAPI: every app's router under /api, at the plan's flat paths."""

from crm.activities.api import router as activities
from crm.appliances.api import router as appliances
from crm.core.api import build_api
from crm.customers.api import router as customers
from crm.engagement.api.customers import router as anonymising  # customer/{id}/anonymise
from crm.engagement.api.follow_ups import router as engagement
from crm.engagement.api.jobs import router as job_workflow  # add-job, update-job
from crm.engagement.api.reminders import router as reminders
from crm.engagement.api.reviews import router as review_workflow  # add-review
from crm.insights.api import router as insights
from crm.jobs.api import router as jobs
from crm.jobs.selectors import technician_sees_customer
from crm.messaging.api import router as messaging
from crm.office.api.audit import router as audit
from crm.office.api.customer_fetch import customer_fetch_router  # GET /api/customer/{id}
from crm.office.api.importing import router as office  # the CSV import
from crm.plans.api import router as plans
from crm.portal.api import router as portal  # customer/{id}/portal-link
from crm.referrals.api import router as referrals
from crm.reviews.api import router as reviews
from crm.technicians.api import router as technicians

api = build_api(
    routers=[
        ("", router)
        for router in (
            customers,
            customer_fetch_router,
            anonymising,
            technicians,
            jobs,
            job_workflow,
            appliances,
            plans,
            reviews,
            review_workflow,
            referrals,
            activities,
            engagement,
            reminders,
            messaging,
            insights,
            office,
            audit,
            portal,
        )
    ],
    customer_visible=technician_sees_customer,  # a Technician's window (crm.core.policy)
)
