import { VCPU_SIGS, VMMS } from '../../../../app/tee/snp/measure/index.js';
import { PAGE_ADD_ORDERS } from '../../../../app/tee/tdx/measure/index.js';
import type { DeriveForm } from './derive.js';

const BOOT_PATHS: readonly { id: DeriveForm['boot']; label: string }[] = [
  { id: 'none', label: 'firmware only (MRTD)' },
  { id: 'qemu-direct', label: 'QEMU direct boot (-kernel -initrd -append)' },
  { id: 'uefi', label: 'UEFI application (UKI, systemd-boot)' },
  { id: 'grub', label: 'GRUB' },
];

interface Props {
  form: DeriveForm;
  onChange(form: DeriveForm): void;
}

/** The inputs of a launch measurement: which technology, the files, and the parameters that change the digest. */
export function ArtefactFields({ form, onChange }: Props) {
  const set = <K extends keyof DeriveForm>(key: K, value: DeriveForm[K]) => onChange({ ...form, [key]: value });
  return (
    <div className="derive-fields">
      <Field id="derive-technology" label="Technology">
        <select id="derive-technology" value={form.technology} onChange={(e) => set('technology', e.target.value as DeriveForm['technology'])}>
          <option value="tdx">Intel TDX (MRTD, boot events)</option>
          <option value="sev-snp">AMD SEV-SNP (launch measurement)</option>
        </select>
      </Field>
      <FileField id="derive-firmware" label="Firmware image (OVMF.fd / TDVF)" file={form.firmware} onFile={(f) => set('firmware', f)} />
      <FileField id="derive-kernel" label="Kernel (optional)" file={form.kernel} onFile={(f) => set('kernel', f)} />
      <FileField id="derive-initrd" label="Initrd (optional)" file={form.initrd} onFile={(f) => set('initrd', f)} />
      <Field id="derive-cmdline" label="Kernel command line">
        <input id="derive-cmdline" type="text" spellCheck={false} value={form.cmdline} onChange={(e) => set('cmdline', e.target.value)} />
      </Field>
      {form.technology === 'sev-snp' ? <SnpFields form={form} set={set} /> : <TdxFields form={form} set={set} />}
      <Field id="derive-set-name" label="Set name (environment)">
        <input id="derive-set-name" type="text" value={form.setName} placeholder="for example prod" onChange={(e) => set('setName', e.target.value)} />
      </Field>
    </div>
  );
}

type Setter = <K extends keyof DeriveForm>(key: K, value: DeriveForm[K]) => void;

function SnpFields({ form, set }: { form: DeriveForm; set: Setter }) {
  return (
    <>
      <Field id="derive-vcpus" label="vCPUs">
        <input id="derive-vcpus" type="number" min={1} max={4096} value={form.vcpus} onChange={(e) => set('vcpus', e.target.value)} />
      </Field>
      <Field id="derive-vmm" label="VMM">
        <select id="derive-vmm" value={form.vmm} onChange={(e) => set('vmm', e.target.value as DeriveForm['vmm'])}>
          {VMMS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      {form.vmm === 'qemu' && (
        <Field id="derive-vcpu-type" label="vCPU type (as QEMU's -cpu names it, not the host CPU)">
          <select id="derive-vcpu-type" value={form.vcpuType} onChange={(e) => set('vcpuType', e.target.value)}>
            {Object.keys(VCPU_SIGS).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      )}
      <FileField id="derive-svsm" label="Coconut SVSM image (optional)" file={form.svsm} onFile={(f) => set('svsm', f)} />
      {form.svsm && (
        <Field id="derive-vars-size" label="OVMF variable store size (bytes)">
          <input id="derive-vars-size" type="number" min={0} value={form.varsSize} onChange={(e) => set('varsSize', e.target.value)} />
        </Field>
      )}
      <Field id="derive-guest-features" label="Guest features (SEV_FEATURES)">
        <input id="derive-guest-features" type="text" spellCheck={false} value={form.guestFeatures} onChange={(e) => set('guestFeatures', e.target.value)} />
      </Field>
    </>
  );
}

function TdxFields({ form, set }: { form: DeriveForm; set: Setter }) {
  return (
    <>
      <Field id="derive-page-order" label="Page-add order">
        <select id="derive-page-order" value={form.pageAddOrder} onChange={(e) => set('pageAddOrder', e.target.value as DeriveForm['pageAddOrder'])}>
          {PAGE_ADD_ORDERS.map((o) => (
            <option key={o} value={o}>
              {o === 'single' ? 'single (QEMU 9 and later)' : 'two-pass (QEMU 8)'}
            </option>
          ))}
        </select>
      </Field>
      <Field id="derive-boot" label="How the kernel is booted">
        <select id="derive-boot" value={form.boot} onChange={(e) => set('boot', e.target.value as DeriveForm['boot'])}>
          {BOOT_PATHS.map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
      </Field>
      {form.boot === 'qemu-direct' && (
        <Field id="derive-memory" label="Guest memory (MiB; QEMU patches the kernel header with it)">
          <input id="derive-memory" type="number" min={16} value={form.memoryMiB} onChange={(e) => set('memoryMiB', e.target.value)} />
        </Field>
      )}
      {form.boot === 'qemu-direct' && (
        <Field id="derive-initrd-option" label='Where OVMF puts "initrd=initrd"'>
          <select id="derive-initrd-option" value={form.initrdOption} onChange={(e) => set('initrdOption', e.target.value as DeriveForm['initrdOption'])}>
            <option value="prefix">in front (current edk2)</option>
            <option value="suffix">behind (older OVMF, as dstack-mr computes it)</option>
          </select>
        </Field>
      )}
    </>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="field" data-testid={`${id}-field`}>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** The chosen file is named from the form, not the input: the input is empty again after the view is rebuilt. */
function FileField({ id, label, file, onFile }: { id: string; label: string; file: File | undefined; onFile(f: File | undefined): void }) {
  return (
    <Field id={id} label={label}>
      <input id={id} type="file" data-testid={id} onChange={(e) => onFile(e.target.files?.[0])} />
      {file && (
        <span className="derive-chosen" data-testid={`${id}-chosen`}>
          using {file.name} ({file.size.toLocaleString('en')} bytes){' '}
          <button type="button" className="link" aria-label={`clear ${label}`} onClick={() => onFile(undefined)}>
            clear
          </button>
        </span>
      )}
    </Field>
  );
}
