//! The image catalog: the registries a node can pull from, as data. Each
//! repository has its tags with the compressed size containerd reports
//! (`Image size: … bytes.`) and the kind of program it holds, which the
//! container model (`container.rs`) runs. A repository that is not here
//! does not exist (`redis123`); a tag that is not listed is `not found`.

use super::status::{full_image, image_digest};

/// What an image runs, and which userland it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Nginx,
    Httpd,
    Redis,
    Mysql,
    Postgres,
    Memcached,
    Busybox,
    Alpine,
    Debian,
    Python,
    Node,
    /// kodekloud/webapp-color and kodekloud/simple-webapp: Flask on 8080.
    WebappColor,
    /// polinux/stress.
    Stress,
    /// A control-plane or add-on binary on a distroless base.
    Binary(&'static str),
    /// A generic long-running server on a small shell userland.
    Server,
    Pause,
    /// mongo: `mongod` on 27017, JSON logs.
    Mongo,
    /// rabbitmq: the Erlang broker on 5672 (and 15672 with `-management`).
    Rabbitmq,
    /// wordpress: Apache with PHP on 80.
    Wordpress,
    /// perl: the Job example's `perl -Mbignum=bpi -wle 'print bpi(2000)'`.
    Perl,
    /// hello-world: prints its greeting and exits (a `scratch` image).
    HelloWorld,
    /// registry.k8s.io/hpa-example: php-apache answering `OK!` on 80.
    PhpApache,
    /// registry.k8s.io/liveness: `/server` on 8080 whose `/healthz` fails
    /// after ten seconds (the old liveness-http example).
    Liveness,
}

/// A repository: its full name (`docker.io/library/nginx`), its tags with
/// sizes, its kind.
pub struct Repo {
    pub name: &'static str,
    pub tags: &'static [(&'static str, u64)],
    pub kind: Kind,
}

const fn r(name: &'static str, kind: Kind, tags: &'static [(&'static str, u64)]) -> Repo {
    Repo { name, tags, kind }
}

/// The registries' contents. Sizes are the compressed sizes of the amd64
/// images (what containerd prints after a pull), close to the real ones.
pub static CATALOG: &[Repo] = &[
    r(
        "docker.io/library/nginx",
        Kind::Nginx,
        &[
            ("latest", 72_195_292),
            ("1.27", 72_099_501),
            ("1.27.5", 72_099_501),
            ("1.27.4", 72_188_133),
            ("1.28", 72_225_394),
            ("1.26", 71_024_382),
            ("1.25", 70_544_635),
            ("1.24", 56_867_102),
            ("1.23", 57_010_850),
            ("1.22", 56_742_155),
            ("1.21", 53_762_893),
            ("1.20", 53_306_542),
            ("1.19", 53_582_127),
            ("1.18", 52_947_812),
            ("1.17", 51_029_411),
            ("1.16", 50_642_207),
            ("1.16.1", 50_642_207),
            ("1.15", 49_987_332),
            ("1.14", 44_710_204),
            ("1.14.2", 44_710_204),
            ("1.13", 44_002_149),
            ("1.9.1", 42_136_214),
            ("1.7.9", 39_895_143),
            ("stable", 71_024_382),
            ("mainline", 72_195_292),
            ("alpine", 20_989_426),
            ("1.27-alpine", 20_989_426),
            ("stable-alpine", 20_541_003),
            ("alpine-slim", 5_377_612),
        ],
    ),
    r(
        "docker.io/library/httpd",
        Kind::Httpd,
        &[
            ("latest", 58_190_361),
            ("2.4", 58_190_361),
            ("2.4.63", 58_190_361),
            ("alpine", 22_453_105),
            ("2.4-alpine", 22_453_105),
        ],
    ),
    r(
        "docker.io/library/redis",
        Kind::Redis,
        &[
            ("latest", 52_564_871),
            ("7", 45_021_114),
            ("7.4", 45_021_114),
            ("7.2", 43_894_273),
            ("7.0", 43_011_981),
            ("6", 40_189_775),
            ("6.2", 40_189_775),
            ("5", 36_920_310),
            ("alpine", 17_219_310),
            ("7-alpine", 16_928_574),
            ("7.2-alpine", 16_405_923),
            ("6-alpine", 12_119_843),
        ],
    ),
    r(
        "docker.io/library/mysql",
        Kind::Mysql,
        &[
            ("latest", 245_931_482),
            ("9", 245_931_482),
            ("8", 232_780_019),
            ("8.0", 232_780_019),
            ("8.4", 236_044_371),
            ("5.7", 137_432_566),
            ("5.6", 102_939_202),
        ],
    ),
    r(
        "docker.io/library/postgres",
        Kind::Postgres,
        &[
            ("latest", 161_430_709),
            ("17", 161_430_709),
            ("16", 158_901_312),
            ("15", 157_201_022),
            ("14", 155_780_230),
            ("13", 152_004_816),
            ("alpine", 104_876_323),
            ("16-alpine", 103_330_281),
            ("15-alpine", 101_877_020),
        ],
    ),
    r(
        "docker.io/library/memcached",
        Kind::Memcached,
        &[
            ("latest", 32_318_716),
            ("1.6", 32_318_716),
            ("alpine", 4_871_112),
            ("1.6-alpine", 4_871_112),
        ],
    ),
    r(
        "docker.io/library/busybox",
        Kind::Busybox,
        &[
            ("latest", 2_222_260),
            ("1.37", 2_222_260),
            ("1.37.0", 2_222_260),
            ("1.36", 2_154_713),
            ("1.36.1", 2_154_713),
            ("1.35", 2_118_114),
            ("1.34", 772_806),
            ("1.33", 766_565),
            ("1.32", 764_663),
            ("1.31", 764_619),
            ("1.30", 755_934),
            ("1.29", 732_524),
            ("1.28", 727_869),
            ("1.28.4", 727_869),
            ("1.28.3", 727_842),
            ("stable", 2_222_260),
            ("musl", 862_441),
            ("glibc", 2_222_260),
            ("uclibc", 1_111_420),
        ],
    ),
    r(
        "registry.k8s.io/busybox",
        Kind::Busybox,
        &[
            ("latest", 1_144_547),
            ("1.24", 675_990),
            ("1.27", 716_064),
            ("1.27.2", 716_064),
        ],
    ),
    r(
        "docker.io/library/mongo",
        Kind::Mongo,
        &[
            ("latest", 277_118_320),
            ("8", 277_118_320),
            ("8.0", 277_118_320),
            ("7", 266_880_604),
            ("7.0", 266_880_604),
            ("6", 250_347_715),
            ("6.0", 250_347_715),
            ("5", 243_112_884),
            ("5.0", 243_112_884),
            ("4.4", 168_210_903),
            ("4.2", 145_608_719),
        ],
    ),
    r(
        "docker.io/library/rabbitmq",
        Kind::Rabbitmq,
        &[
            ("latest", 102_488_172),
            ("4", 102_488_172),
            ("4.1", 102_488_172),
            ("3", 99_217_334),
            ("3.13", 99_217_334),
            ("3.12", 97_030_611),
            ("3.8", 82_617_554),
            ("management", 113_090_245),
            ("4-management", 113_090_245),
            ("3-management", 109_847_661),
            ("3.13-management", 109_847_661),
            ("alpine", 66_002_318),
            ("management-alpine", 76_633_147),
        ],
    ),
    r(
        "docker.io/library/wordpress",
        Kind::Wordpress,
        &[
            ("latest", 250_031_488),
            ("6", 250_031_488),
            ("6.8", 250_031_488),
            ("6.8.1", 250_031_488),
            ("apache", 250_031_488),
            ("6.2.1-apache", 214_790_115),
            ("4.8-apache", 159_610_477),
            ("php8.3-apache", 250_031_488),
            ("fpm", 244_815_070),
        ],
    ),
    r(
        "docker.io/library/perl",
        Kind::Perl,
        &[
            ("latest", 353_806_211),
            ("5", 353_806_211),
            ("5.40", 353_806_211),
            ("5.40.2", 353_806_211),
            ("5.38", 351_203_558),
            ("5.36", 347_662_019),
            ("5.34", 343_220_472),
            ("5.34.0", 336_571_802),
            ("slim", 48_311_064),
        ],
    ),
    r(
        "docker.io/library/hello-world",
        Kind::HelloWorld,
        &[("latest", 3_196), ("linux", 3_196)],
    ),
    r(
        "docker.io/library/centos",
        Kind::Debian,
        &[("latest", 79_650_523), ("7", 76_097_157), ("8", 79_650_523)],
    ),
    r(
        "docker.io/library/tomcat",
        Kind::Server,
        &[
            ("latest", 186_431_507),
            ("10", 186_431_507),
            ("9", 183_906_770),
            ("9.0", 183_906_770),
        ],
    ),
    r(
        "docker.io/library/alpine",
        Kind::Alpine,
        &[
            ("latest", 3_653_068),
            ("3", 3_653_068),
            ("3.21", 3_653_068),
            ("3.20", 3_625_688),
            ("3.19", 3_415_838),
            ("3.18", 3_409_480),
            ("3.17", 3_375_031),
            ("edge", 3_712_904),
        ],
    ),
    r(
        "docker.io/library/ubuntu",
        Kind::Debian,
        &[
            ("latest", 29_753_874),
            ("24.04", 29_753_874),
            ("noble", 29_753_874),
            ("22.04", 29_538_961),
            ("jammy", 29_538_961),
            ("20.04", 27_508_875),
            ("focal", 27_508_875),
            ("18.04", 25_691_281),
            ("bionic", 25_691_281),
        ],
    ),
    r(
        "docker.io/library/debian",
        Kind::Debian,
        &[
            ("latest", 48_494_272),
            ("bookworm", 48_494_272),
            ("12", 48_494_272),
            ("bookworm-slim", 28_227_259),
            ("bullseye", 53_749_937),
            ("11", 53_749_937),
            ("bullseye-slim", 31_419_624),
        ],
    ),
    r(
        "docker.io/library/python",
        Kind::Python,
        &[
            ("latest", 380_245_412),
            ("3", 380_245_412),
            ("3.13", 380_245_412),
            ("3.12", 378_911_206),
            ("3.11", 377_023_850),
            ("3.10", 375_332_190),
            ("3.9", 374_120_881),
            ("3.12-slim", 49_580_341),
            ("3.11-slim", 48_996_104),
            ("slim", 49_861_012),
            ("alpine", 17_883_302),
            ("3.12-alpine", 17_601_455),
            ("3.6", 336_093_774),
            ("3.6-alpine", 31_012_855),
        ],
    ),
    r(
        "docker.io/library/node",
        Kind::Node,
        &[
            ("latest", 407_721_052),
            ("22", 407_721_052),
            ("20", 398_422_514),
            ("18", 391_205_177),
            ("lts", 407_721_052),
            ("alpine", 56_732_003),
            ("22-alpine", 56_732_003),
            ("20-alpine", 47_812_224),
            ("18-alpine", 44_120_509),
        ],
    ),
    r(
        "docker.io/kodekloud/webapp-color",
        Kind::WebappColor,
        &[
            ("latest", 31_775_318),
            ("v1", 31_775_318),
            ("v2", 31_775_326),
            ("v3", 31_775_324),
        ],
    ),
    r(
        "docker.io/kodekloud/simple-webapp",
        Kind::WebappColor,
        &[
            ("latest", 31_773_914),
            ("red", 31_773_914),
            ("blue", 31_773_922),
            ("green", 31_773_918),
            ("yellow", 31_773_920),
        ],
    ),
    r(
        "docker.io/kodekloud/simple-webapp-mysql",
        Kind::WebappColor,
        &[("latest", 35_905_611)],
    ),
    r(
        "docker.io/kodekloud/webapp-mysql",
        Kind::WebappColor,
        &[("latest", 35_905_107)],
    ),
    r(
        "docker.io/kodekloud/event-simulator",
        Kind::Server,
        &[("latest", 31_770_284)],
    ),
    r(
        "docker.io/kodekloud/filebeat-configured",
        Kind::Server,
        &[("latest", 127_400_413)],
    ),
    r(
        "docker.io/kodekloud/fluent-ui-running",
        Kind::Server,
        &[("latest", 221_034_782)],
    ),
    r(
        "docker.io/kodekloud/throw-dice",
        Kind::Python,
        &[("latest", 17_990_332)],
    ),
    r(
        "docker.io/kodekloud/ubuntu-sleeper",
        Kind::Debian,
        &[("latest", 27_508_941)],
    ),
    r(
        "docker.io/polinux/stress",
        Kind::Stress,
        &[("latest", 4_039_115)],
    ),
    r(
        "docker.io/curlimages/curl",
        Kind::Alpine,
        &[
            ("latest", 9_861_720),
            ("8.13.0", 9_861_720),
            ("8.12.1", 9_812_334),
        ],
    ),
    r(
        "docker.io/nicolaka/netshoot",
        Kind::Alpine,
        &[("latest", 190_611_552)],
    ),
    r(
        "gcr.io/google-samples/kubernetes-bootcamp",
        Kind::Server,
        &[("v1", 76_834_142), ("v2", 76_834_173)],
    ),
    r(
        "gcr.io/google-samples/node-hello",
        Kind::Server,
        &[("1.0", 261_538_417)],
    ),
    r(
        "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend",
        Kind::PhpApache,
        &[("v5", 165_830_211)],
    ),
    r(
        "us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower",
        Kind::Redis,
        &[("v2", 37_205_511)],
    ),
    r(
        "quay.io/fluentd_elasticsearch/fluentd",
        Kind::Server,
        &[
            ("v2.5.2", 140_153_804),
            ("v4.7.2", 155_618_902),
            ("v5.0.1", 161_880_735),
        ],
    ),
    r(
        "gcr.io/google-samples/hello-app",
        Kind::Server,
        &[("1.0", 11_301_236), ("2.0", 11_301_244)],
    ),
    r(
        "registry.k8s.io/kube-apiserver",
        Kind::Binary("kube-apiserver"),
        &[
            ("v1.33.1", 30_071_307),
            ("v1.33.0", 30_069_544),
            ("v1.32.5", 28_751_021),
            ("v1.32.4", 28_750_411),
        ],
    ),
    r(
        "registry.k8s.io/kube-controller-manager",
        Kind::Binary("kube-controller-manager"),
        &[
            ("v1.33.1", 26_628_117),
            ("v1.33.0", 26_626_840),
            ("v1.32.5", 26_255_108),
            ("v1.32.4", 26_254_980),
        ],
    ),
    r(
        "registry.k8s.io/kube-scheduler",
        Kind::Binary("kube-scheduler"),
        &[
            ("v1.33.1", 20_765_063),
            ("v1.33.0", 20_763_890),
            ("v1.32.5", 20_658_340),
            ("v1.32.4", 20_658_122),
        ],
    ),
    r(
        "registry.k8s.io/kube-proxy",
        Kind::Binary("kube-proxy"),
        &[
            ("v1.33.1", 31_888_224),
            ("v1.33.0", 31_887_101),
            ("v1.32.5", 30_896_712),
            ("v1.32.4", 30_896_140),
        ],
    ),
    r(
        "registry.k8s.io/etcd",
        Kind::Binary("etcd"),
        &[
            ("3.5.21-0", 58_938_593),
            ("3.5.16-0", 57_680_541),
            ("3.5.15-0", 56_909_194),
            ("3.5.1-0", 98_888_614),
        ],
    ),
    r(
        "registry.k8s.io/coredns/coredns",
        Kind::Binary("coredns"),
        &[
            ("v1.12.0", 20_939_036),
            ("v1.11.3", 18_562_039),
            ("v1.11.1", 18_182_961),
        ],
    ),
    r(
        "registry.k8s.io/pause",
        Kind::Pause,
        &[
            ("3.10", 320_368),
            ("3.9", 321_520),
            ("3.8", 311_286),
            ("3.7", 311_278),
            ("3.6", 301_773),
            ("3.2", 299_513),
            ("3.1", 317_164),
        ],
    ),
    r(
        "registry.k8s.io/metrics-server/metrics-server",
        Kind::Binary("metrics-server"),
        &[
            ("v0.7.2", 19_494_617),
            ("v0.7.1", 19_218_914),
            ("v0.8.0", 20_582_732),
        ],
    ),
    r(
        "registry.k8s.io/fluentd-elasticsearch",
        Kind::Server,
        &[("1.20", 160_153_917)],
    ),
    r(
        "registry.k8s.io/e2e-test-images/jessie-dnsutils",
        Kind::Debian,
        &[("1.3", 75_591_912)],
    ),
    r(
        "registry.k8s.io/e2e-test-images/agnhost",
        Kind::Binary("agnhost"),
        &[
            ("2.39", 51_105_200),
            ("2.40", 51_155_161),
            ("2.45", 51_502_030),
            ("2.53", 51_931_712),
        ],
    ),
    r(
        "registry.k8s.io/liveness",
        Kind::Liveness,
        &[("latest", 2_540_148)],
    ),
    r(
        "registry.k8s.io/goproxy",
        Kind::Server,
        &[("0.1", 2_534_287)],
    ),
    r(
        "registry.k8s.io/hpa-example",
        Kind::PhpApache,
        &[("latest", 176_924_330)],
    ),
    r(
        "registry.k8s.io/echoserver",
        Kind::Server,
        &[("1.4", 46_114_116), ("1.10", 42_993_227)],
    ),
    r(
        "registry.k8s.io/nginx-slim",
        Kind::Nginx,
        &[
            ("0.8", 51_367_203),
            ("0.21", 18_218_416),
            ("0.24", 18_225_032),
            ("0.27", 18_301_441),
        ],
    ),
    r(
        "registry.k8s.io/ingress-nginx/controller",
        Kind::Binary("nginx-ingress-controller"),
        &[("v1.12.1", 105_342_777)],
    ),
];

/// The cluster DNS add-on's image (kubeadm v1.33).
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";

/// A reference that resolved to an image in the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// `docker.io/library/nginx:latest`
    pub reference: String,
    /// `docker.io/library/nginx@sha256:…`
    pub image_id: String,
    pub size: u64,
    pub kind: Kind,
    /// The tag (`latest`, `1.27`).
    pub tag: String,
}

/// Why a pull fails, worded as containerd words it (v1.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullError {
    /// Not a valid reference: `InvalidImageName`.
    InvalidName(String),
    /// The registry said no: `ErrImagePull`.
    Failed(String),
}

/// `k8s.gcr.io` is the frozen old name of `registry.k8s.io`.
fn canonical(reference: &str) -> String {
    reference
        .strip_prefix("k8s.gcr.io/")
        .map(|rest| format!("registry.k8s.io/{rest}"))
        .unwrap_or_else(|| reference.to_string())
}

/// Looks an image reference (as written in a pod spec) up.
pub fn resolve(image: &str) -> Result<Resolved, PullError> {
    if image.is_empty()
        || image
            .chars()
            .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
    {
        let repo = image.rsplit_once(':').map(|(a, _)| a).unwrap_or(image);
        return Err(PullError::InvalidName(format!(
            "Failed to apply default image tag {image:?}: couldn't parse image reference {image:?}: invalid reference format: repository name (library/{repo}) must be lowercase"
        )));
    }
    let (without_digest, _) = image.split_once('@').unwrap_or((image, ""));
    let full = canonical(&full_image(without_digest));
    let (repo_name, tag) = full.rsplit_once(':').unwrap_or((full.as_str(), "latest"));
    let Some(repo) = CATALOG.iter().find(|r| r.name == repo_name) else {
        let host = repo_name.split('/').next().unwrap_or("");
        let msg = if host == "docker.io" {
            format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
        } else if matches!(host, "registry.k8s.io" | "gcr.io" | "quay.io" | "ghcr.io") {
            format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found")
        } else {
            let path = repo_name.split_once('/').map(|(_, p)| p).unwrap_or("");
            format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{host}/v2/{path}/manifests/{tag}\": dial tcp: lookup {host} on 127.0.0.53:53: no such host")
        };
        return Err(PullError::Failed(msg));
    };
    let size = repo
        .tags
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, s)| *s)
        .or_else(|| release_image_size(repo, tag));
    let Some(size) = size else {
        return Err(PullError::Failed(format!(
            "failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        )));
    };
    Ok(Resolved {
        image_id: format!("{repo_name}@sha256:{}", image_digest(&full)),
        reference: full.clone(),
        size,
        kind: repo.kind,
        tag: tag.to_string(),
    })
}

/// The control-plane images of every release `kubeadm upgrade` can move
/// to (see `node::packages::RELEASES`) exist in the registry; their sizes
/// are taken as the newest listed tag's (they differ by a few kB).
fn release_image_size(repo: &Repo, tag: &str) -> Option<u64> {
    use crate::node::packages::{release, RELEASES};
    let known = match repo.name {
        "registry.k8s.io/kube-apiserver"
        | "registry.k8s.io/kube-controller-manager"
        | "registry.k8s.io/kube-scheduler"
        | "registry.k8s.io/kube-proxy" => tag.starts_with('v') && release(tag).is_some(),
        "registry.k8s.io/etcd" => RELEASES.iter().any(|r| r.etcd == tag),
        "registry.k8s.io/coredns/coredns" => RELEASES.iter().any(|r| r.coredns == tag),
        _ => false,
    };
    known.then(|| repo.tags.first().map(|(_, s)| *s)).flatten()
}

/// How long a pull takes: a registry round trip plus the bytes at about
/// 35 MB/s, between 0.5 s and 8 s, with a deterministic jitter. An image
/// whose layers are all on the node already (a re-pull for `Always`) only
/// costs the round trip.
pub fn pull_millis(size: u64, layers_present: bool, jitter: u64) -> i64 {
    let j = (jitter % 400) as i64;
    if layers_present {
        return 250 + j;
    }
    let transfer = (size / 35_000) as i64;
    (600 + transfer + j).clamp(500, 8_000)
}

/// Go's `time.Duration` formatting at millisecond precision (`830ms`,
/// `2.134s`, `1m5.2s`), as the `Pulled` event prints it.
pub fn go_duration(ms: i64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let frac = |v: i64| -> String {
        let s = format!("{:03}", v);
        let t = s.trim_end_matches('0');
        if t.is_empty() {
            String::new()
        } else {
            format!(".{t}")
        }
    };
    let secs = ms / 1000;
    let rest = ms % 1000;
    if secs < 60 {
        return format!("{secs}{}s", frac(rest));
    }
    let m = secs / 60;
    let s = secs % 60;
    if m < 60 {
        return format!("{m}m{s}{}s", frac(rest));
    }
    format!("{}h{}m{s}{}s", m / 60, m % 60, frac(rest))
}

/// The images a node has before anything is pulled: what kubeadm pulled
/// for the control plane (on the control-plane node) and the node images.
pub fn preloaded(control_plane: bool, version: &str) -> Vec<String> {
    let mut v = vec![
        format!("registry.k8s.io/kube-proxy:{version}"),
        "registry.k8s.io/pause:3.10".to_string(),
    ];
    if control_plane {
        for c in [
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ] {
            v.push(format!("registry.k8s.io/{c}:{version}"));
        }
        v.push(format!(
            "registry.k8s.io/etcd:{}",
            crate::node::files::ETCD_VERSION
        ));
        v.push(COREDNS_IMAGE.to_string());
    }
    crate::sort::sort(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_images_resolve_and_unknown_ones_fail_like_containerd() {
        let n = resolve("nginx").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(n.reference, "docker.io/library/nginx:latest");
        assert_eq!(n.size, 72_195_292);
        assert_eq!(n.kind, Kind::Nginx);
        assert!(resolve("busybox:1.28").is_ok());
        assert!(resolve("kodekloud/webapp-color").is_ok());
        assert!(resolve("k8s.gcr.io/pause:3.9").is_ok());
        assert_eq!(
            resolve("redis123"),
            Err(PullError::Failed("failed to pull and unpack image \"docker.io/library/redis123:latest\": failed to resolve reference \"docker.io/library/redis123:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".into()))
        );
        assert_eq!(
            resolve("nginx:1.99"),
            Err(PullError::Failed("failed to pull and unpack image \"docker.io/library/nginx:1.99\": failed to resolve reference \"docker.io/library/nginx:1.99\": docker.io/library/nginx:1.99: not found".into()))
        );
        assert!(matches!(resolve("Nginx"), Err(PullError::InvalidName(_))));
        assert!(resolve("registry.k8s.io/kube-apiserver:latest").is_err());
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(830), "830ms");
        assert_eq!(go_duration(2134), "2.134s");
        assert_eq!(go_duration(2100), "2.1s");
        assert_eq!(go_duration(3000), "3s");
        assert_eq!(go_duration(65_200), "1m5.2s");
        assert!((500..=8000).contains(&pull_millis(72_195_292, false, 7)));
        assert!(pull_millis(600_000_000, false, 0) <= 8000);
    }
}
