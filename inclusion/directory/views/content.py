"""The pathway pages: what happens at each stage of a journey, in plain English, with links
to the services that help.

The action plan (seed 004) asked for "new pathway model and content for Transitions" and
pages "rewritten to target the correct people"; these are written for parents, carers and
young people. Statutory points cite their source: the SEND Code of Practice 0 to 25 years
(DfE and DHSC, January 2015, "CoP"), the Children and Families Act 2014 ("CFA") and the SEND
Regulations 2014 (as listed in docs/DOMAIN.md). A search link is a query string for the
search page: words, an age, or need words.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    heading: str
    paragraphs: tuple[str, ...]
    # (link text, query string for the search page), for example ("Find portage", "q=portage")
    searches: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pathway:
    slug: str
    title: str
    ages: str
    summary: str
    steps: tuple[Step, ...]
    sources: tuple[str, ...] = field(default_factory=tuple)


PATHWAYS: tuple[Pathway, ...] = (
    Pathway(
        slug="early-years",
        title="Early years: from birth to starting school",
        ages="0 to 5",
        summary=(
            "What help there is if you are worried about how your baby or young child is "
            "developing, and how to get ready for school."
        ),
        steps=(
            Step(
                "If you are worried about your child's development",
                (
                    "Talk to your health visitor, your GP or your child's nursery or childminder. "
                    "You do not need a diagnosis to ask for help, and you can ask at any time.",
                    "Health visitors see every family with a young child. The review when your "
                    "child is 2 to 2 and a half years old checks how they are talking, moving, "
                    "playing and getting on with others, so that any needs are found early. If "
                    "you miss the appointment, you will be offered another one.",
                ),
                (("Find health visiting", "q=health+visiting"),),
            ),
            Step(
                "Support at home and in your community",
                (
                    "Portage is a home visiting service for young children with SEND. A portage "
                    "worker visits regularly and plays with your child to help them learn new "
                    "skills, and shows you how to carry on between visits.",
                    "Speech and language therapy and occupational therapy teams give advice to "
                    "parents, carers and nurseries, as well as therapy for the children with the "
                    "highest needs.",
                ),
                (
                    ("Find portage and early learning", "q=portage"),
                    ("Find speech and language help for under-5s", "q=speech&age=3"),
                ),
            ),
            Step(
                "Nursery, pre-school and childminders",
                (
                    "Early years settings that get government funding must have arrangements to "
                    "identify and support children with SEN, and must work with you to agree "
                    "what support your child gets (CoP chapter 5).",
                    "Two-year-olds who get Disability Living Allowance or have an EHC plan can "
                    "get 15 hours of funded early education a week.",
                ),
            ),
            Step(
                "Starting school",
                (
                    "Apply for a school place at the same time as other families. If your child "
                    "has an EHC plan, the school is named in the plan instead: the plan must be "
                    "amended, naming the school, by 15 February of the year your child starts "
                    "(SEND Regulations 2014, regulation 18).",
                    "Ask to visit the school and meet its special educational needs co-ordinator "
                    "(SENCO) before your child starts, so that the support is ready on day one.",
                ),
                (("Find the SEND information, advice and support service", "q=SENDIASS"),),
            ),
        ),
        sources=(
            "SEND Code of Practice 0 to 25 years, chapter 5 (early years providers)",
            "SEND Regulations 2014, regulation 18 (phase transfer)",
        ),
    ),
    Pathway(
        slug="moving-school",
        title="Moving to a new school",
        ages="4 to 16",
        summary=(
            "Moving from nursery to school, from primary to secondary school, or between "
            "schools, and how to make the move go well."
        ),
        steps=(
            Step(
                "A year before the move",
                (
                    "Talk to the SENCO at your child's school about the move. If your child has "
                    "an EHC plan, the annual review in the year before the move should talk "
                    "about the new school and what support your child will need there.",
                    "If your child has an EHC plan, you can ask for a particular school to be "
                    "named in it. The local authority must name it unless it would be "
                    "unsuitable for your child, or bad for other children's education or "
                    "for the use of resources (CFA section 39).",
                ),
            ),
            Step(
                "The deadline for the new school to be named",
                (
                    "For a move from primary to secondary school (and other moves between "
                    "phases of school), the amended EHC plan naming the new school must be "
                    "finished by 15 February of the year of the move. For a move from school "
                    "to a college or sixth form, it is 31 March (SEND Regulations 2014, "
                    "regulation 18).",
                ),
            ),
            Step(
                "Visits and getting ready",
                (
                    "Most schools offer extra visits for children with SEND. Ask for a map, "
                    "photos of the building and the staff, and the timetable, so your child "
                    "knows what to expect.",
                    "The old school passes on what works for your child. Check that the new "
                    "school has your child's SEN support plan or EHC plan before the first day.",
                ),
                (("Find SEND hubs in mainstream schools", "q=SEND+hub"),),
            ),
        ),
        sources=(
            "Children and Families Act 2014, section 39",
            "SEND Regulations 2014, regulation 18",
        ),
    ),
    Pathway(
        slug="preparing-for-adulthood",
        title="Preparing for adulthood",
        ages="13 to 25",
        summary=(
            "Growing up with SEND: planning for work, where to live, friends and "
            "community, and good health, from year 9 onwards."
        ),
        steps=(
            Step(
                "From year 9 (age 13 to 14)",
                (
                    "Every EHC plan review from year 9 at the latest must include planning for "
                    "adult life (CoP 8.9). The plan talks about four things: paid work or "
                    "further study, living as independently as possible, friends, relationships "
                    "and being part of the community, and being as healthy as possible.",
                    "Young people without an EHC plan get careers guidance at school, and SEN "
                    "support should include planning for the move to college or training.",
                ),
            ),
            Step(
                "At 16: making your own decisions",
                (
                    "After the end of the school year in which they turn 16, young people make "
                    "decisions about their education themselves, rather than their parents, as "
                    "long as they have the capacity to do so under the Mental Capacity Act 2005 "
                    "(CoP 8.13 to 8.15). Parents and carers can still be involved, if the "
                    "young person wants them to be.",
                    "Disability Living Allowance for children stops at 16: young people are "
                    "invited to claim Personal Independence Payment (PIP) instead.",
                ),
                (("Find advice for young people aged 16 to 25", "q=advice&age=17"),),
            ),
            Step(
                "After 16: college, apprenticeships and supported internships",
                (
                    "Options include sixth forms, further education colleges, specialist "
                    "colleges, apprenticeships, traineeships and supported internships (a "
                    "study programme based mostly at an employer, for young people with an EHC "
                    "plan who want to move into paid work).",
                    "An EHC plan can continue until 25 while the young person stays in "
                    "education or training and still needs it (CoP chapter 9). It stops if they "
                    "go to university or start a job without training.",
                ),
            ),
            Step(
                "Moving to adult health and care services",
                (
                    "Children's health services should plan the move to adult services with the "
                    "young person well before 18, so that care does not stop suddenly (CoP "
                    "chapter 8; NICE guideline NG43 recommends starting by year 9).",
                    "A young person who is likely to need care and support after 18 can ask "
                    "for an adult social care assessment under the Care Act 2014 before they "
                    "turn 18, so support is ready when children's services end.",
                ),
                (
                    ("Find mental health support for young people", "q=mental+health&age=17"),
                    ("Find the children with disabilities team", "q=disabilities+social+care"),
                ),
            ),
        ),
        sources=(
            "SEND Code of Practice 0 to 25 years, chapter 8 (preparing for adulthood)",
            "Mental Capacity Act 2005; Care Act 2014",
        ),
    ),
    Pathway(
        slug="autism-and-neurodevelopmental-needs",
        title="Autism and neurodevelopmental needs",
        ages="0 to 25",
        summary=(
            "Getting help before, during and after an assessment for autism or another "
            "neurodevelopmental condition."
        ),
        steps=(
            Step(
                "You do not need a diagnosis to get support",
                (
                    "Schools and early years settings must support children with special "
                    "educational needs whether or not they have a diagnosis (CoP chapter 6). "
                    "Ask the SENCO what support your child can get now.",
                    "The virtual autism hub gives information, advice and practical help to "
                    "autistic people of all ages and their families, before and after a "
                    "diagnosis: you can step in and out of its support as you need.",
                ),
                (("Find autism support", "q=autism"),),
            ),
            Step(
                "Asking for an assessment",
                (
                    "Talk to your GP, health visitor or your child's school. They can refer your "
                    "child for a neurodevelopmental assessment if it is needed. Waiting times "
                    "can be long; ask what support is available while you wait.",
                ),
            ),
            Step(
                "Sensory processing",
                (
                    "Some children find noise, light, touch or movement hard to cope with. "
                    "Workshops for parents and carers explain sensory processing difficulties "
                    "and practical strategies to use at home.",
                ),
                (("Find sensory processing workshops", "q=sensory"),),
            ),
        ),
        sources=("SEND Code of Practice 0 to 25 years, chapter 6 (schools)",),
    ),
)


def pathway_by_slug(slug: str) -> Pathway | None:
    return next((p for p in PATHWAYS if p.slug == slug), None)
