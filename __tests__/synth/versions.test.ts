import { SYNTH_WRITTEN_FOR, SynthVersionError, checkSynthVersions, installedVersions } from '../../synth/versions';

const written = {
  cdktf: SYNTH_WRITTEN_FOR.cdktf,
  providerAws: SYNTH_WRITTEN_FOR.providerAws,
  terraformAws: SYNTH_WRITTEN_FOR.terraformAws,
};

test('the installed cdktf and provider are the versions synth/ was written for', () => {
  expect(installedVersions()).toEqual(written);
  expect(() => checkSynthVersions()).not.toThrow();
});

test('other installed versions stop the synth with an error that names each one and the way out', () => {
  const check = () => checkSynthVersions({ ...written, cdktf: '0.24.0', terraformAws: '6.0.0' }, {});
  expect(check).toThrow(SynthVersionError);
  expect(check).toThrow(/cdktf: installed 0\.24\.0, synth\/ was written for 0\.21\.0/);
  expect(check).toThrow(/Terraform AWS provider wrapped by @cdktf\/provider-aws: installed 6\.0\.0, synth\/ was written for 5\.100\.0/);
  expect(check).toThrow(/SYNTH_PLAIN=1/);
  let message = '';
  try {
    check();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).not.toMatch(/\n {2}- @cdktf\/provider-aws:/); // only what differs
});

test('SYNTH_PLAIN=1 skips the check: stock cdktf needs no particular version', () => {
  expect(() => checkSynthVersions({ ...written, cdktf: '0.24.0' }, { SYNTH_PLAIN: '1' })).not.toThrow();
});
